//! The persistent outgoing queue. Its interface is one function, "enqueue this activity
//! for these inboxes", called inside the transaction of the change that causes it, so a
//! crash never leaves a change unannounced. `engine` (run by `serve`) claims and sends
//! the rows (`send`: one attempt) and `record` writes what came of them; `schedule` says
//! when to retry, `hosts` tracks hosts that stay down, `admin` serves `mutual deliveries`.

use std::collections::HashSet;

use serde_json::Value;
use url::Url;

use crate::db::deliveries::NewDelivery;
use crate::{AppError, db, now_ms};

pub mod admin;
pub mod engine;
pub mod hosts;
mod record;
pub mod schedule;
pub mod send;

/// Stores `activity` (signed later by co-op `signer`, or the instance actor when None)
/// and queues one delivery per distinct inbox, due at once. Inboxes on hosts marked
/// unavailable are recorded as `skipped`. Call it inside the change's transaction.
pub async fn enqueue(
    conn: &mut db::Conn,
    signer: Option<i64>,
    activity: &Value,
    inboxes: &[String],
) -> Result<(), AppError> {
    let id = activity
        .get("id")
        .and_then(Value::as_str)
        .ok_or_else(|| AppError::Internal("activity without an id".into()))?;
    let now = now_ms();
    db::activities::insert(conn, id, signer, &activity.to_string(), now).await?;
    let unavailable: HashSet<String> = db::delivery_hosts::unavailable(conn)
        .await?
        .into_iter()
        .collect();
    let mut seen = HashSet::with_capacity(inboxes.len());
    let mut rows = Vec::with_capacity(inboxes.len());
    for inbox in inboxes {
        if !seen.insert(inbox.as_str()) {
            continue;
        }
        let host = Url::parse(inbox)
            .map(|url| crate::config::authority(&url))
            .unwrap_or_default();
        let state = if unavailable.contains(&host) {
            "skipped"
        } else {
            "pending"
        };
        rows.push(NewDelivery {
            inbox: inbox.clone(),
            host,
            state,
        });
    }
    // Due at once (time 0): fresh deliveries go before retries that are also due.
    db::deliveries::insert_many(conn, id, &rows, now).await?;
    Ok(())
}
