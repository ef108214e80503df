//! The `remote_actors` table: the cache of fetched actors and their keys.

use super::Conn;
use sqlx::FromRow;

/// A cached remote actor.
#[derive(Debug, Clone, FromRow)]
pub struct RemoteActorRow {
    pub id: String,
    pub kind: String,
    pub preferred_username: Option<String>,
    pub name: Option<String>,
    pub inbox: String,
    pub shared_inbox: Option<String>,
    pub key_id: Option<String>,
    pub public_key_pem: Option<String>,
    pub document: String,
    pub fetched_at: i64,
}

const COLUMNS: &str = "id, kind, preferred_username, name, inbox, shared_inbox, key_id, public_key_pem, document, fetched_at";

/// Stores or refreshes a remote actor.
pub async fn upsert(conn: &mut Conn, a: &RemoteActorRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO remote_actors (id, kind, preferred_username, name, inbox, shared_inbox, key_id, \
         public_key_pem, document, fetched_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, preferred_username = excluded.preferred_username, \
         name = excluded.name, inbox = excluded.inbox, shared_inbox = excluded.shared_inbox, \
         key_id = excluded.key_id, public_key_pem = excluded.public_key_pem, document = excluded.document, \
         fetched_at = excluded.fetched_at, refresh_after = NULL, missing_since = NULL",
    )
    .bind(&a.id)
    .bind(&a.kind)
    .bind(&a.preferred_username)
    .bind(&a.name)
    .bind(&a.inbox)
    .bind(&a.shared_inbox)
    .bind(&a.key_id)
    .bind(&a.public_key_pem)
    .bind(&a.document)
    .bind(a.fetched_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Finds a cached actor by its id.
pub async fn by_id(conn: &mut Conn, id: &str) -> Result<Option<RemoteActorRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM remote_actors WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Finds a cached actor by the id of its public key.
pub async fn by_key_id(
    conn: &mut Conn,
    key_id: &str,
) -> Result<Option<RemoteActorRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM remote_actors WHERE key_id = $1"
    )))
    .bind(key_id)
    .fetch_optional(conn)
    .await
}

/// Forgets a remote actor.
pub async fn remove(conn: &mut Conn, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM remote_actors WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Cached actors fetched before `stale_before` that a co-op here follows (in any state) or
/// is followed by, leaving out those postponed past `now` after a failure; oldest first.
pub async fn due_for_refresh(
    conn: &mut Conn,
    stale_before: i64,
    now: i64,
    limit: i64,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT ra.id FROM remote_actors ra \
         WHERE ra.fetched_at < $1 AND (ra.refresh_after IS NULL OR ra.refresh_after <= $2) \
         AND (EXISTS (SELECT 1 FROM follows f WHERE f.target_id = ra.id) \
              OR EXISTS (SELECT 1 FROM followers fl WHERE fl.actor_id = ra.id)) \
         ORDER BY ra.fetched_at, ra.id LIMIT $3",
    )
    .bind(stale_before)
    .bind(now)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Notes that a cached actor's server answered 404 at `now` (keeping the first such time),
/// leaves it out of the refresh until `until`, and returns when it was first missing.
pub async fn mark_missing(
    conn: &mut Conn,
    id: &str,
    now: i64,
    until: i64,
) -> Result<i64, sqlx::Error> {
    let since: Option<Option<i64>> = sqlx::query_scalar(
        "UPDATE remote_actors SET missing_since = COALESCE(missing_since, $2), refresh_after = $3 \
         WHERE id = $1 RETURNING missing_since",
    )
    .bind(id)
    .bind(now)
    .bind(until)
    .fetch_optional(conn)
    .await?;
    Ok(since.flatten().unwrap_or(now))
}

/// Leaves a cached actor out of the refresh until `until` (its refresh failed).
pub async fn postpone_refresh(conn: &mut Conn, id: &str, until: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE remote_actors SET refresh_after = $2 WHERE id = $1")
        .bind(id)
        .bind(until)
        .execute(conn)
        .await?;
    Ok(())
}
