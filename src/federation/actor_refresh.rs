//! The remote-actor cache, kept fresh: every hour, the cached actors that a co-op here
//! follows or is followed by, and that were fetched more than 24 h ago, are fetched again
//! (names, avatars, inboxes and keys change). Fetches go through the one client, with a
//! fresh budget each, at most two in flight per host and eight overall. An actor whose
//! server answers 410 Gone is forgotten, as if it had sent a Delete of itself. A 404 may be
//! a passing mistake (a restore, a migration), so it is asked again daily and the actor is
//! forgotten only when its server still answers 404 a week after the first; any other
//! failure is tried again an hour later. Time is the node's clock, so tests can move it.

use std::time::Duration;

use tokio::sync::{Mutex, watch};
use url::Url;

use super::fetch::FetchBudget;
use super::host_limits::for_each_by_host;
use super::objects::remote_actor::{self, FRESH_FOR_MS};
use crate::app::{AppState, Node};
use crate::content::followers;
use crate::{AppError, db};

/// Fetches in flight to one host, at most.
pub const PER_HOST: usize = 2;
/// Fetches in flight overall, at most.
pub const IN_FLIGHT: usize = 8;
/// How long between sweeps.
pub const TICK: Duration = Duration::from_secs(60 * 60);
/// How many stale actors one sweep takes (the oldest first).
const BATCH: i64 = 500;
/// How long an actor whose refresh failed is left alone.
const RETRY_MS: i64 = 60 * 60 * 1000;
/// How long an actor whose server answers 404 is left alone before it is asked again.
const MISSING_RETRY_MS: i64 = 24 * 60 * 60 * 1000;
/// How long an actor's server must keep answering 404 before the actor is forgotten.
pub const MISSING_FOR_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// What one sweep did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Swept {
    /// Fetched again and stored.
    pub refreshed: usize,
    /// Gone (410, or 404 for a week) and forgotten, with their follows and posts.
    pub forgotten: usize,
    /// Could not be fetched; postponed for an hour (a day after a 404).
    pub failed: usize,
}

/// What became of one actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Refreshed,
    Forgotten,
    Failed,
}

/// Sweeps once at start and then every [`TICK`], until `stop` turns true (a sweep in
/// progress is abandoned then).
pub async fn run(node: AppState, mut stop: watch::Receiver<bool>) {
    loop {
        if *stop.borrow() {
            break;
        }
        // A sweep in progress is dropped at shutdown: each write is one statement or
        // one transaction, so nothing is left half done.
        let swept = tokio::select! {
            swept = sweep(&node) => swept,
            _ = stop.changed() => break,
        };
        match swept {
            Ok(swept) if swept != Swept::default() => {
                tracing::info!(?swept, "remote actor cache refreshed");
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "remote actor refresh failed"),
        }
        let stopped = tokio::select! {
            _ = tokio::time::sleep(TICK) => false,
            // Err: the sender is gone (the server ended), which also means stop.
            changed = stop.changed() => changed.is_err(),
        };
        if stopped {
            break;
        }
    }
}

/// Fetches again every cached actor that is due (see the module's description).
///
/// Each fetch waits for its host's permit before it takes one of the overall slots, so
/// actors queued behind one busy host never hold slots that other hosts could use.
pub async fn sweep(node: &Node) -> Result<Swept, AppError> {
    let now = node.clock.now_ms();
    let due = {
        let mut conn = node.db.acquire().await?;
        db::remote_actors::due_for_refresh(&mut conn, now - FRESH_FOR_MS, now, BATCH).await?
    };
    let outcomes: Mutex<Vec<Outcome>> = Mutex::new(Vec::with_capacity(due.len()));
    for_each_by_host(due, PER_HOST, IN_FLIGHT, |url| {
        let outcomes = &outcomes;
        async move {
            match refresh(node, &url).await {
                Ok(outcome) => outcomes.lock().await.push(outcome),
                Err(e) => tracing::warn!(actor_id = %url, error = %e, "cannot record a refresh"),
            }
        }
    })
    .await;
    let outcomes = outcomes.into_inner();
    let count = |wanted: Outcome| outcomes.iter().filter(|o| **o == wanted).count();
    Ok(Swept {
        refreshed: count(Outcome::Refreshed),
        forgotten: count(Outcome::Forgotten),
        failed: count(Outcome::Failed),
    })
}

/// Fetches one actor again and records what happened.
async fn refresh(node: &Node, actor_id: &Url) -> Result<Outcome, AppError> {
    match remote_actor::fetch_and_store(node, actor_id, &FetchBudget::new()).await {
        Ok(_) => Ok(Outcome::Refreshed),
        Err(AppError::RemoteGone { status: 404, .. }) => {
            let now = node.clock.now_ms();
            let since = {
                let mut conn = node.db.acquire().await?;
                let until = now + MISSING_RETRY_MS;
                db::remote_actors::mark_missing(&mut conn, actor_id.as_str(), now, until).await?
            };
            if now - since < MISSING_FOR_MS {
                tracing::info!(%actor_id, since, "a cached actor is missing (404); asking again tomorrow");
                return Ok(Outcome::Failed);
            }
            tracing::info!(%actor_id, "a cached actor has been missing (404) for a week; forgetting it");
            followers::actor_deleted(node, actor_id.as_str()).await?;
            Ok(Outcome::Forgotten)
        }
        Err(AppError::RemoteGone { status, .. }) => {
            tracing::info!(%actor_id, status, "a cached actor is gone; forgetting it");
            followers::actor_deleted(node, actor_id.as_str()).await?;
            Ok(Outcome::Forgotten)
        }
        Err(e) => {
            tracing::info!(%actor_id, error = %e, "actor refresh failed; trying again later");
            let mut conn = node.db.acquire().await?;
            let until = node.clock.now_ms() + RETRY_MS;
            db::remote_actors::postpone_refresh(&mut conn, actor_id.as_str(), until).await?;
            Ok(Outcome::Failed)
        }
    }
}
