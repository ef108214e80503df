//! Log-in sessions (stored by the SHA-256 of their id) and failed log-ins.

use super::Conn;
use sqlx::FromRow;

/// A session as stored.
#[derive(Debug, Clone, FromRow)]
pub struct SessionRow {
    pub id_hash: String,
    pub account_id: String,
    pub csrf: String,
    pub created_at: i64,
    pub expires_at: i64,
}

pub async fn insert(conn: &mut Conn, s: &SessionRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (id_hash, account_id, csrf, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&s.id_hash)
    .bind(&s.account_id)
    .bind(&s.csrf)
    .bind(s.created_at)
    .bind(s.expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// A session that has not expired at `now`.
pub async fn live(
    conn: &mut Conn,
    id_hash: &str,
    now: i64,
) -> Result<Option<SessionRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id_hash, account_id, csrf, created_at, expires_at FROM sessions \
         WHERE id_hash = $1 AND expires_at > $2",
    )
    .bind(id_hash)
    .bind(now)
    .fetch_optional(conn)
    .await
}

pub async fn delete(conn: &mut Conn, id_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Ends every session of an account; returns how many.
pub async fn delete_all_of(conn: &mut Conn, account_id: &str) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE account_id = $1")
        .bind(account_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Drops expired sessions and failures older than `failures_before`.
pub async fn purge(conn: &mut Conn, now: i64, failures_before: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM login_failures WHERE at < $1")
        .bind(failures_before)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn record_failure(conn: &mut Conn, key: &str, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO login_failures (key, at) VALUES ($1, $2)")
        .bind(key)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}

/// Failed log-ins under `key` since `since`.
pub async fn failures_since(conn: &mut Conn, key: &str, since: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at >= $2")
        .bind(key)
        .bind(since)
        .fetch_one(conn)
        .await
}

pub async fn clear_failures(conn: &mut Conn, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_failures WHERE key = $1")
        .bind(key)
        .execute(conn)
        .await?;
    Ok(())
}
