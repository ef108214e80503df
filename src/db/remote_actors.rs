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
         fetched_at = excluded.fetched_at",
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
