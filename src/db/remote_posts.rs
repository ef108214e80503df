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

/// Stores a post, or replaces the stored copy (an Update).
pub async fn upsert(conn: &mut Conn, p: &RemotePostRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO remote_posts (id, actor_id, kind, name, content, url, published_at, updated_at, received_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, content = excluded.content, \
         url = excluded.url, updated_at = excluded.updated_at",
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
    .execute(conn)
    .await?;
    Ok(())
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
