//! The persistent outgoing queue. Its interface is one function, "enqueue this activity
//! for these inboxes", called inside the transaction of the change that causes it.
//! `worker` sends the rows; inboxes on this node are delivered in-process.

use serde_json::Value;

use crate::{AppError, db, now_ms};

pub mod worker;

/// Stores `activity` (signed later by co-op `signer`, or the instance actor when None)
/// and queues one delivery per distinct inbox. Call it inside the change's transaction.
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
    let mut seen: Vec<&str> = Vec::with_capacity(inboxes.len());
    for inbox in inboxes {
        if !seen.contains(&inbox.as_str()) {
            seen.push(inbox);
            db::deliveries::insert(conn, id, inbox, now).await?;
        }
    }
    Ok(())
}
