//! The `activities` table: every activity this node sent, kept so its id resolves.

use super::Conn;

/// Stores an activity body. Storing the same id twice keeps the first body.
pub async fn insert(
    conn: &mut Conn,
    id: &str,
    coop_id: Option<i64>,
    body: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO activities (id, coop_id, body, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING")
        .bind(id)
        .bind(coop_id)
        .bind(body)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// A stored activity's signer (None is the instance actor) and body.
pub async fn by_id(
    conn: &mut Conn,
    id: &str,
) -> Result<Option<(Option<i64>, String)>, sqlx::Error> {
    sqlx::query_as("SELECT coop_id, body FROM activities WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}
