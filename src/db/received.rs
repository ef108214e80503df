//! The `received_activities` table: ids of activities already handled.

use super::Conn;

/// Records an activity id; returns false when it was already recorded.
pub async fn first_time(conn: &mut Conn, id: &str, now: i64) -> Result<bool, sqlx::Error> {
    // Dialect spot: ON CONFLICT DO NOTHING is understood by both SQLite and PostgreSQL.
    let done = sqlx::query("INSERT INTO received_activities (id, received_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING")
        .bind(id)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Forgets an activity id, so a failed handling can be retried by the sender.
pub async fn forget(conn: &mut Conn, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM received_activities WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
