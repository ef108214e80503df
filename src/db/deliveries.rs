//! The `deliveries` table: the persistent outgoing queue, one row per (activity, inbox).

use super::Conn;
use sqlx::FromRow;

/// A claimed delivery, with what the worker needs to send it.
#[derive(Debug, Clone, FromRow)]
pub struct DeliveryRow {
    pub id: i64,
    pub activity_id: String,
    pub inbox: String,
    pub attempts: i64,
    pub coop_id: Option<i64>,
    pub body: String,
}

/// Queues an activity for one inbox; a repeat of the same pair is ignored.
pub async fn insert(
    conn: &mut Conn,
    activity_id: &str,
    inbox: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO deliveries (activity_id, inbox, state, attempts, next_attempt_at, created_at) \
         VALUES ($1, $2, 'pending', 0, $3, $3) ON CONFLICT (activity_id, inbox) DO NOTHING",
    )
    .bind(activity_id)
    .bind(inbox)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Claims up to `limit` due deliveries for `lease_ms`, so no other worker takes them meanwhile.
pub async fn claim_due(
    conn: &mut Conn,
    now: i64,
    lease_ms: i64,
    limit: i64,
) -> Result<Vec<DeliveryRow>, sqlx::Error> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "UPDATE deliveries SET locked_until = $2 WHERE id IN ( \
           SELECT id FROM deliveries WHERE state = 'pending' AND next_attempt_at <= $1 \
           AND (locked_until IS NULL OR locked_until < $1) ORDER BY next_attempt_at, id LIMIT $3) \
         RETURNING id",
    )
    .bind(now)
    .bind(now + lease_ms)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let mut rows = Vec::with_capacity(ids.len());
    for id in ids {
        let row: Option<DeliveryRow> = sqlx::query_as(
            "SELECT d.id, d.activity_id, d.inbox, d.attempts, a.coop_id, a.body \
             FROM deliveries d JOIN activities a ON a.id = d.activity_id WHERE d.id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
        rows.extend(row);
    }
    Ok(rows)
}

/// Marks a delivery sent.
pub async fn mark_done(conn: &mut Conn, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE deliveries SET state = 'done', locked_until = NULL, last_error = NULL, attempts = attempts + 1 WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Records a failed attempt: retry at `next_attempt_at`, or give up when that is None.
pub async fn mark_failed(
    conn: &mut Conn,
    id: i64,
    error: &str,
    next_attempt_at: Option<i64>,
) -> Result<(), sqlx::Error> {
    let state = if next_attempt_at.is_some() {
        "pending"
    } else {
        "failed"
    };
    sqlx::query(
        "UPDATE deliveries SET state = $2, attempts = attempts + 1, last_error = $3, \
         next_attempt_at = COALESCE($4, next_attempt_at), locked_until = NULL WHERE id = $1",
    )
    .bind(id)
    .bind(state)
    .bind(error)
    .bind(next_attempt_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Counts deliveries by state, for status output and tests.
pub async fn count_by_state(conn: &mut Conn) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT state, COUNT(*) FROM deliveries GROUP BY state ORDER BY state")
        .fetch_all(conn)
        .await
}
