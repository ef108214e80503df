//! Stored images and which stories use them.

use super::Conn;
use sqlx::FromRow;

/// An image as stored (its file is `media/HASH.EXT` in the data directory).
#[derive(Debug, Clone, FromRow)]
pub struct MediaRow {
    pub hash: String,
    pub content_type: String,
    pub width: i64,
    pub height: i64,
    pub bytes: i64,
    pub created_at: i64,
}

/// An image of a story, with its alt text.
#[derive(Debug, Clone, FromRow)]
pub struct StoryImageRow {
    pub hash: String,
    pub alt: String,
    pub content_type: String,
    pub width: i64,
    pub height: i64,
}

/// Records an image (once: the same bytes are the same image).
pub async fn insert(conn: &mut Conn, m: &MediaRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO media (hash, content_type, width, height, bytes, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (hash) DO NOTHING",
    )
    .bind(&m.hash)
    .bind(&m.content_type)
    .bind(m.width)
    .bind(m.height)
    .bind(m.bytes)
    .bind(m.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find(conn: &mut Conn, hash: &str) -> Result<Option<MediaRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT hash, content_type, width, height, bytes, created_at FROM media WHERE hash = $1",
    )
    .bind(hash)
    .fetch_optional(conn)
    .await
}

/// Attaches an image to a story at `position`.
pub async fn attach(
    conn: &mut Conn,
    story_id: i64,
    position: i64,
    hash: &str,
    alt: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO story_media (story_id, position, hash, alt) VALUES ($1, $2, $3, $4)")
        .bind(story_id)
        .bind(position)
        .bind(hash)
        .bind(alt)
        .execute(conn)
        .await?;
    Ok(())
}

/// A story's images, in order.
pub async fn of_story(conn: &mut Conn, story_id: i64) -> Result<Vec<StoryImageRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT sm.hash, sm.alt, m.content_type, m.width, m.height FROM story_media sm \
         JOIN media m ON m.hash = sm.hash WHERE sm.story_id = $1 ORDER BY sm.position",
    )
    .bind(story_id)
    .fetch_all(conn)
    .await
}

/// Takes every image off a story (before attaching its new ones).
pub async fn detach_all(conn: &mut Conn, story_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM story_media WHERE story_id = $1")
        .bind(story_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The condition "no story, draft or co-op uses the image `media.hash`".
const UNUSED: &str = "NOT EXISTS (SELECT 1 FROM story_media s WHERE s.hash = media.hash) \
     AND NOT EXISTS (SELECT 1 FROM story_drafts d WHERE d.image_hash = media.hash) \
     AND NOT EXISTS (SELECT 1 FROM coops c WHERE c.avatar_hash = media.hash OR c.header_hash = media.hash)";

/// Images stored before `before` that nothing uses (previews never published, pictures
/// replaced, images of deleted stories), at most `limit`.
pub async fn unused_before(
    conn: &mut Conn,
    before: i64,
    limit: i64,
) -> Result<Vec<MediaRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT hash, content_type, width, height, bytes, created_at FROM media \
         WHERE created_at < $1 AND {UNUSED} ORDER BY created_at LIMIT $2"
    )))
    .bind(before)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Forgets an image if nothing uses it (checked again, in the same statement, so an image
/// attached meanwhile stays); returns whether it went.
pub async fn remove_unused(conn: &mut Conn, hash: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(sqlx::AssertSqlSafe(format!(
        "DELETE FROM media WHERE hash = $1 AND {UNUSED}"
    )))
    .bind(hash)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}
