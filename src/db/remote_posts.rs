//! The `remote_posts` table: posts received from actors that co-ops here follow, posts they
//! boosted, and replies (from anyone) in the conversations under a co-op's stories.

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
    /// The object it answers, if any.
    pub in_reply_to: Option<String>,
    /// The local story whose conversation it is part of.
    pub story_id: Option<i64>,
    /// The top-level reply it hangs under (None for a top-level reply or a plain post).
    pub thread_parent: Option<String>,
}

const COLUMNS: &str = "id, actor_id, kind, name, content, url, published_at, updated_at, \
                       received_at, in_reply_to, story_id, thread_parent";

/// The INSERT of a post (binds $1–$12 in `COLUMNS` order); the caller adds the condition.
const INSERT: &str = "INSERT INTO remote_posts (id, actor_id, kind, name, content, url, \
     published_at, updated_at, received_at, in_reply_to, story_id, thread_parent) \
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12";

/// On a repeated id: the author's own edit replaces the text (never another author's).
const ON_CONFLICT: &str = " ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, \
     name = excluded.name, content = excluded.content, url = excluded.url, \
     updated_at = excluded.updated_at, \
     story_id = COALESCE(excluded.story_id, remote_posts.story_id), \
     thread_parent = COALESCE(excluded.thread_parent, remote_posts.thread_parent) \
     WHERE remote_posts.actor_id = excluded.actor_id RETURNING id";

fn bind_post<'q>(
    q: sqlx::query::QueryScalar<'q, sqlx::Any, String, sqlx::any::AnyArguments>,
    p: &'q RemotePostRow,
) -> sqlx::query::QueryScalar<'q, sqlx::Any, String, sqlx::any::AnyArguments> {
    q.bind(&p.id)
        .bind(&p.actor_id)
        .bind(&p.kind)
        .bind(&p.name)
        .bind(&p.content)
        .bind(&p.url)
        .bind(p.published_at)
        .bind(p.updated_at)
        .bind(p.received_at)
        .bind(&p.in_reply_to)
        .bind(p.story_id)
        .bind(&p.thread_parent)
}

/// Stores (or updates) a post whatever follows its author: a boosted post, or a reply in a
/// story's conversation. An id already another author's is refused (returns false).
pub async fn upsert(conn: &mut Conn, p: &RemotePostRow) -> Result<bool, sqlx::Error> {
    // SQLite needs a WHERE on the SELECT to parse ON CONFLICT after it.
    let sql = format!("{INSERT} WHERE 1 = 1{ON_CONFLICT}");
    let stored = bind_post(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)), p)
        .fetch_optional(conn)
        .await?;
    Ok(stored.is_some())
}

/// Stores (or updates) a post in one statement, but only if some co-op here follows its
/// author and the id is not already another author's. Returns whether it was stored; when
/// not, the caller asks why (rare, so the common path is one round trip).
pub async fn upsert_if_followed(conn: &mut Conn, p: &RemotePostRow) -> Result<bool, sqlx::Error> {
    // Dialect spot: INSERT … SELECT … WHERE … ON CONFLICT … DO UPDATE … WHERE … RETURNING
    // is understood by both (SQLite needs the SELECT's WHERE to parse ON CONFLICT).
    let sql = format!(
        "{INSERT} WHERE EXISTS (SELECT 1 FROM follows WHERE target_id = $2 AND state = 'accepted')\
         {ON_CONFLICT}"
    );
    let stored = bind_post(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)), p)
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

/// The replies in a story's conversation that its co-op has not hidden, oldest first.
pub async fn replies_of_story(
    conn: &mut Conn,
    story_id: i64,
    limit: i64,
) -> Result<Vec<RemotePostRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM remote_posts WHERE story_id = $1 AND hidden_at IS NULL \
         ORDER BY COALESCE(published_at, received_at), id LIMIT $2"
    )))
    .bind(story_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Hides a reply (and the replies under it) from a story's page; false when it is not in
/// that story's conversation.
pub async fn hide_reply(
    conn: &mut Conn,
    story_id: i64,
    id: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE remote_posts SET hidden_at = $3 WHERE story_id = $1 AND (id = $2 OR thread_parent = $2)",
    )
    .bind(story_id)
    .bind(id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// A post in a co-op's network timeline: one it follows wrote, or boosted.
#[derive(Debug, Clone, FromRow)]
pub struct TimelineRow {
    pub id: String,
    pub actor_id: String,
    pub kind: String,
    pub name: Option<String>,
    pub content: String,
    pub url: Option<String>,
    pub published_at: Option<i64>,
    pub updated_at: Option<i64>,
    /// Who boosted it (None when the author is followed and this is the post itself).
    pub boosted_by: Option<String>,
    /// When it reached the timeline: published, or boosted.
    pub at: i64,
}

/// A page of co-op `coop_id`'s network timeline, newest first: posts by the actors it
/// follows (accepted follows only) and posts they boosted.
pub async fn timeline(
    conn: &mut Conn,
    coop_id: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<TimelineRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT * FROM ( \
           SELECT p.id, p.actor_id, p.kind, p.name, p.content, p.url, p.published_at, p.updated_at, \
                  NULL AS boosted_by, COALESCE(p.published_at, p.received_at) AS at \
           FROM remote_posts p JOIN follows f ON f.target_id = p.actor_id \
           WHERE f.coop_id = $1 AND f.state = 'accepted' \
           UNION ALL \
           SELECT p.id, p.actor_id, p.kind, p.name, p.content, p.url, p.published_at, p.updated_at, \
                  b.actor_id AS boosted_by, b.published_at AS at \
           FROM boosts b JOIN follows f ON f.target_id = b.actor_id \
           JOIN remote_posts p ON p.id = b.object_id \
           WHERE f.coop_id = $1 AND f.state = 'accepted' \
         ) entries ORDER BY at DESC, id DESC LIMIT $2 OFFSET $3",
    )
    .bind(coop_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}
