//! Recording what deliveries came to: failures and give-ups at once, successes in batches
//! through the engine's one writer connection.

use std::collections::BTreeSet;
use std::sync::Arc;

use sqlx::Any;
use sqlx::pool::PoolConnection;
use tokio::sync::{OwnedSemaphorePermit, mpsc};

use super::hosts;
use super::schedule::{self, Verdict};
use super::send::Attempt;
use crate::app::AppState;
use crate::db::deliveries::ClaimedRow;
use crate::{AppError, db};

/// Successes written in one statement at most.
const RECORD_BATCH: usize = 512;

/// A sent delivery waiting to be recorded. It holds its slot until then, so at most
/// `delivery_concurrency` rows are ever claimed and not yet recorded: the most a crash
/// can make us send twice.
pub(super) struct Sent {
    id: i64,
    host: String,
    _slot: OwnedSemaphorePermit,
}

/// The one connection the claimer and the recorder write through, in turn. Two writers of
/// their own would, on SQLite, meet the write lock and back off in sleeps of milliseconds.
#[derive(Default)]
pub(super) struct Writer(tokio::sync::Mutex<Option<PoolConnection<Any>>>);

impl Writer {
    /// Takes the connection (opening it if needed) until the guard is dropped.
    pub(super) async fn lock(
        &self,
        node: &AppState,
    ) -> Result<tokio::sync::MappedMutexGuard<'_, PoolConnection<Any>>, AppError> {
        let mut guard = self.0.lock().await;
        if guard.is_none() {
            let mut conn = node.db.acquire().await?;
            db::deliveries::prepare_engine_connection(&mut conn).await?;
            *guard = Some(conn);
        }
        tokio::sync::MutexGuard::try_map(guard, Option::as_mut)
            .map_err(|_| AppError::Internal("the writer connection is gone".into()))
    }

    /// Drops the connection after an error; the next `lock` opens another.
    pub(super) async fn reset(&self) {
        *self.0.lock().await = None;
    }
}

/// Writes what an attempt came to. Successes go to the batching recorder (`sent`); the
/// rest are written at once, through the engine's writer connection too.
pub(super) async fn attempt(
    node: &AppState,
    writer: &Writer,
    sent: &mpsc::UnboundedSender<Sent>,
    row: &ClaimedRow,
    attempt: Attempt,
    slot: OwnedSemaphorePermit,
) -> Result<(), AppError> {
    let error = attempt.error.unwrap_or_default();
    // The attempt's time: a failure counts on the day it happened, however late it is written.
    let at = node.clock.now_ms();
    match attempt.verdict {
        Verdict::Sent => {
            let done = Sent {
                id: row.id,
                host: row.host.clone(),
                _slot: slot,
            };
            if sent.send(done).is_err() {
                let mut conn = writer.lock(node).await?;
                db::deliveries::mark_done(&mut conn, &[row.id]).await?;
            }
        }
        Verdict::Retry {
            retry_after,
            host_down,
        } => {
            let failed = row.attempts + 1;
            let next = schedule::next_attempt_at(at, failed, retry_after, schedule::jitter());
            tracing::info!(inbox = %row.inbox, activity = %row.activity_id, %error, attempt = failed, gives_up = next.is_none(), "delivery failed");
            {
                let mut conn = writer.lock(node).await?;
                db::deliveries::mark_failed(&mut conn, row.id, &error, next).await?;
            }
            if host_down {
                hosts::failed(node, &row.host, &error, at).await?;
            } else {
                hosts::answered(node, &row.host).await?;
            }
        }
        Verdict::GiveUp { gone } => {
            tracing::info!(inbox = %row.inbox, activity = %row.activity_id, %error, "delivery given up");
            let mut conn = writer.lock(node).await?;
            db::deliveries::mark_failed(&mut conn, row.id, &error, None).await?;
            if gone {
                let removed = db::followers::remove_by_inbox(&mut conn, &row.inbox).await?;
                tracing::info!(inbox = %row.inbox, removed, "inbox is gone: its followers are removed");
            }
            drop(conn);
            hosts::answered(node, &row.host).await?;
        }
    }
    Ok(())
}

/// Writes successes in batches: one statement for up to [`RECORD_BATCH`] rows, and clears
/// the failure record of any host among them that had one. Ends when every sender is gone.
/// It writes through the engine's own connection, so a busy pool never delays marking rows
/// sent (each delay widens the window of deliveries a crash would send twice).
pub(super) async fn record_sent(
    node: AppState,
    writer: Arc<Writer>,
    mut rx: mpsc::UnboundedReceiver<Sent>,
) {
    let mut batch = Vec::with_capacity(RECORD_BATCH);
    while rx.recv_many(&mut batch, RECORD_BATCH).await > 0 {
        let ids: Vec<i64> = batch.iter().map(|s| s.id).collect();
        let seen: Vec<String> = batch
            .iter()
            .map(|s| s.host.clone())
            .collect::<BTreeSet<String>>()
            .into_iter()
            .collect();
        let written = async {
            let troubled = {
                let mut conn = writer.lock(&node).await?;
                db::deliveries::mark_done(&mut conn, &ids).await?;
                db::delivery_hosts::with_records(&mut conn, &seen).await?
            };
            for host in troubled {
                hosts::answered(&node, &host).await?;
            }
            Ok::<(), AppError>(())
        };
        if let Err(e) = written.await {
            writer.reset().await;
            tracing::warn!(error = %e, count = ids.len(), "cannot record sent deliveries; they will be sent again when their lease ends");
        }
        // Frees the batch's slots.
        batch.clear();
    }
}
