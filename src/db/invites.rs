//! One-time links: node setup, co-op invitations and organiser invitations.

use super::Conn;
use sqlx::FromRow;

/// A link as stored (by the SHA-256 of its token).
#[derive(Debug, Clone, FromRow)]
pub struct InviteRow {
    pub token_hash: String,
    pub kind: String,
    pub coop_id: Option<i64>,
    pub role: Option<String>,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

pub async fn insert(conn: &mut Conn, i: &InviteRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO invites (token_hash, kind, coop_id, role, created_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&i.token_hash)
    .bind(&i.kind)
    .bind(i.coop_id)
    .bind(&i.role)
    .bind(&i.created_by)
    .bind(i.created_at)
    .bind(i.expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// A link that is unused and unexpired at `now`.
pub async fn usable(
    conn: &mut Conn,
    token_hash: &str,
    now: i64,
) -> Result<Option<InviteRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT token_hash, kind, coop_id, role, created_by, created_at, expires_at, used_at \
         FROM invites WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(conn)
    .await
}

/// Marks a link used; false when it was used (or expired) meanwhile.
pub async fn use_up(conn: &mut Conn, token_hash: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE invites SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends every unused link of a kind (a new setup link replaces the old).
pub async fn revoke_kind(conn: &mut Conn, kind: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE invites SET expires_at = $2 WHERE kind = $1 AND used_at IS NULL AND expires_at > $2")
        .bind(kind)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}
