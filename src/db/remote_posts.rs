//! The `remote_posts` table: posts received from actors that co-ops here follow.

use super::Conn;
use sqlx::FromRow;

/// A received post, its HTML already sanitised.
#[derive(Debug, Clone, FromRow)]
pub struct RemotePostRow {
    pub id: String,
    pub actor_id: String,
    pub kind: String,
    pub name: Option<String>,
    pub content: String,
    pub url: Option<String>,
    pub published_at: Option<i64>,
    pub updated_at: Option<i64>,
    pub received_at: i64,
}

const COLUMNS: &str =
    "id, actor_id, kind, name, content, url, published_at, updated_at, received_at";

/// Stores (or updates) a post in one statement, but only if some co-op here follows its
/// author and the id is not already another author's. Returns whether it was stored; when
/// not, the caller asks why (rare, so the common path is one round trip).
pub async fn upsert_if_followed(conn: &mut Conn, p: &RemotePostRow) -> Result<bool, sqlx::Error> {
    // Dialect spot: INSERT … SELECT … WHERE … ON CONFLICT … DO UPDATE … WHERE … RETURNING
    // is understood by both (SQLite needs the SELECT's WHERE to parse ON CONFLICT).
    let stored: Option<String> = sqlx::query_scalar(
        "INSERT INTO remote_posts (id, actor_id, kind, name, content, url, published_at, updated_at, received_at) \
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9 \
         WHERE EXISTS (SELECT 1 FROM follows WHERE target_id = $2 AND state = 'accepted') \
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, content = excluded.content, \
         url = excluded.url, updated_at = excluded.updated_at \
         WHERE remote_posts.actor_id = excluded.actor_id \
         RETURNING id",
    )
    .bind(&p.id)
    .bind(&p.actor_id)
    .bind(&p.kind)
    .bind(&p.name)
    .bind(&p.content)
    .bind(&p.url)
    .bind(p.published_at)
    .bind(p.updated_at)
    .bind(p.received_at)
    .fetch_optional(conn)
    .await?;
    Ok(stored.is_some())
}

/// Finds a post by id.
pub async fn by_id(conn: &mut Conn, id: &str) -> Result<Option<RemotePostRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM remote_posts WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Removes a post; returns whether one went.
pub async fn remove(conn: &mut Conn, id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM remote_posts WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Removes every post of an actor.
pub async fn remove_by_actor(conn: &mut Conn, actor_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM remote_posts WHERE actor_id = $1")
        .bind(actor_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// An actor's posts, newest first.
pub async fn by_actor(
    conn: &mut Conn,
    actor_id: &str,
    limit: i64,
) -> Result<Vec<RemotePostRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM remote_posts WHERE actor_id = $1 ORDER BY received_at DESC LIMIT $2"
    )))
    .bind(actor_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}
