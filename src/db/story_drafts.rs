//! Drafts of stories: never federated, never on a public page, until published.

use super::Conn;
use sqlx::FromRow;

/// A draft as stored.
#[derive(Debug, Clone, FromRow)]
pub struct DraftRow {
    pub id: i64,
    pub coop_id: i64,
    pub title: String,
    pub body: String,
    /// Space-separated, as typed.
    pub tags: String,
    pub kind: String,
    pub created_by: Option<String>,
    pub updated_at: i64,
    /// An uploaded image (`media`), with its alt text.
    pub image_hash: Option<String>,
    pub image_alt: String,
    /// The language it is written in (BCP 47).
    pub language: String,
    /// The post it will answer, if it is a reply.
    pub in_reply_to: Option<String>,
}

const COLUMNS: &str = "id, coop_id, title, body, tags, kind, created_by, updated_at, image_hash, \
                       image_alt, language, in_reply_to";

/// Stores a new draft; returns its id.
pub async fn insert(conn: &mut Conn, d: &DraftRow) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO story_drafts (coop_id, title, body, tags, kind, created_by, updated_at, \
         image_hash, image_alt, language, in_reply_to) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         RETURNING id",
    )
    .bind(d.coop_id)
    .bind(&d.title)
    .bind(&d.body)
    .bind(&d.tags)
    .bind(&d.kind)
    .bind(&d.created_by)
    .bind(d.updated_at)
    .bind(&d.image_hash)
    .bind(&d.image_alt)
    .bind(&d.language)
    .bind(&d.in_reply_to)
    .fetch_one(conn)
    .await
}

/// Rewrites a draft of `coop_id`; false when there is no such draft.
pub async fn update(conn: &mut Conn, d: &DraftRow) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE story_drafts SET title = $3, body = $4, tags = $5, kind = $6, updated_at = $7, \
         image_hash = $8, image_alt = $9, language = $10, in_reply_to = $11 \
         WHERE id = $1 AND coop_id = $2",
    )
    .bind(d.id)
    .bind(d.coop_id)
    .bind(&d.title)
    .bind(&d.body)
    .bind(&d.tags)
    .bind(&d.kind)
    .bind(d.updated_at)
    .bind(&d.image_hash)
    .bind(&d.image_alt)
    .bind(&d.language)
    .bind(&d.in_reply_to)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A draft of `coop_id`.
pub async fn find(conn: &mut Conn, coop_id: i64, id: i64) -> Result<Option<DraftRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM story_drafts WHERE id = $1 AND coop_id = $2"
    )))
    .bind(id)
    .bind(coop_id)
    .fetch_optional(conn)
    .await
}

/// A co-op's drafts, most recently saved first.
pub async fn list(conn: &mut Conn, coop_id: i64) -> Result<Vec<DraftRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM story_drafts WHERE coop_id = $1 ORDER BY updated_at DESC, id DESC"
    )))
    .bind(coop_id)
    .fetch_all(conn)
    .await
}

/// Deletes a draft of `coop_id`; false when there was none.
pub async fn delete(conn: &mut Conn, coop_id: i64, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM story_drafts WHERE id = $1 AND coop_id = $2")
        .bind(id)
        .bind(coop_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
