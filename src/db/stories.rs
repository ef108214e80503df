//! The `stories` and `story_tags` tables.

use super::Conn;
use sqlx::FromRow;

/// A stored story.
#[derive(Debug, Clone, FromRow)]
pub struct StoryRow {
    pub id: i64,
    pub public_id: String,
    pub coop_id: i64,
    pub title: String,
    pub body: String,
    pub published_at: i64,
    pub updated_at: Option<i64>,
    pub deleted_at: Option<i64>,
    /// story, research, news or event.
    pub kind: String,
    /// The language it is written in (BCP 47, e.g. `en`, `cy`).
    pub language: String,
    /// The post it answers, and that post's author (told of the reply), if any.
    pub in_reply_to: Option<String>,
    pub reply_to_actor: Option<String>,
}

const COLUMNS: &str = "id, public_id, coop_id, title, body, published_at, updated_at, \
                       deleted_at, kind, language, in_reply_to, reply_to_actor";

/// What a story is written as: its text, kind and language.
pub struct StoryText<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub kind: &'a str,
    pub language: &'a str,
}

/// Inserts a story and returns its row id.
pub async fn insert(
    conn: &mut Conn,
    public_id: &str,
    coop_id: i64,
    text: &StoryText<'_>,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO stories (public_id, coop_id, title, body, kind, language, published_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(public_id)
    .bind(coop_id)
    .bind(text.title)
    .bind(text.body)
    .bind(text.kind)
    .bind(text.language)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// Rewrites a story's title, body, kind and language and stamps `updated_at`.
pub async fn update(
    conn: &mut Conn,
    id: i64,
    text: &StoryText<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE stories SET title = $2, body = $3, kind = $4, language = $5, updated_at = $6 \
         WHERE id = $1",
    )
    .bind(id)
    .bind(text.title)
    .bind(text.body)
    .bind(text.kind)
    .bind(text.language)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks a story deleted; its row stays so its URL answers 410.
pub async fn mark_deleted(conn: &mut Conn, id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE stories SET deleted_at = $2, title = '', body = '' WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM story_tags WHERE story_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    // Its images are no longer its; the media collection removes them once unused.
    sqlx::query("DELETE FROM story_media WHERE story_id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Replaces a story's tags.
pub async fn set_tags(conn: &mut Conn, story_id: i64, tags: &[String]) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM story_tags WHERE story_id = $1")
        .bind(story_id)
        .execute(&mut *conn)
        .await?;
    for tag in tags {
        sqlx::query("INSERT INTO story_tags (story_id, tag) VALUES ($1, $2)")
            .bind(story_id)
            .bind(tag)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A story's tags, alphabetically.
pub async fn tags(conn: &mut Conn, story_id: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT tag FROM story_tags WHERE story_id = $1 ORDER BY tag")
        .bind(story_id)
        .fetch_all(conn)
        .await
}

/// Finds a story (deleted or not) by its public id.
pub async fn by_public_id(
    conn: &mut Conn,
    public_id: &str,
) -> Result<Option<StoryRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM stories WHERE public_id = $1"
    )))
    .bind(public_id)
    .fetch_optional(conn)
    .await
}

/// A co-op's live stories, newest first, one page at a time.
pub async fn by_coop(
    conn: &mut Conn,
    coop_id: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<StoryRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM stories WHERE coop_id = $1 AND deleted_at IS NULL \
         ORDER BY published_at DESC, id DESC LIMIT $2 OFFSET $3"
    )))
    .bind(coop_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}

/// How many live stories a co-op has.
pub async fn count_by_coop(conn: &mut Conn, coop_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM stories WHERE coop_id = $1 AND deleted_at IS NULL")
        .bind(coop_id)
        .fetch_one(conn)
        .await
}

/// How many live stories the node has.
pub async fn count_all(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM stories WHERE deleted_at IS NULL")
        .fetch_one(conn)
        .await
}

/// The node's latest live stories, newest first.
pub async fn latest(conn: &mut Conn, limit: i64) -> Result<Vec<StoryRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM stories WHERE deleted_at IS NULL ORDER BY published_at DESC, id DESC LIMIT $1"
    )))
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Live stories carrying a tag, newest first.
pub async fn by_tag(
    conn: &mut Conn,
    tag: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<StoryRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.id, s.public_id, s.coop_id, s.title, s.body, s.published_at, s.updated_at, s.deleted_at, s.kind, s.language, s.in_reply_to, s.reply_to_actor \
         FROM stories s JOIN story_tags t ON t.story_id = s.id \
         WHERE t.tag = $1 AND s.deleted_at IS NULL ORDER BY s.published_at DESC, s.id DESC \
         LIMIT $2 OFFSET $3",
    )
    .bind(tag)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}

/// The co-op a story belongs to.
pub async fn coop_of(conn: &mut Conn, story_id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT coop_id FROM stories WHERE id = $1")
        .bind(story_id)
        .fetch_optional(conn)
        .await
}

/// Records the post a story answers and its author.
pub async fn set_reply(
    conn: &mut Conn,
    id: i64,
    in_reply_to: &str,
    reply_to_actor: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE stories SET in_reply_to = $2, reply_to_actor = $3 WHERE id = $1")
        .bind(id)
        .bind(in_reply_to)
        .bind(reply_to_actor)
        .execute(conn)
        .await?;
    Ok(())
}
