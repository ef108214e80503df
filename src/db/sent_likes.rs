//! The `sent_likes` table: the Likes co-ops here gave, one per co-op and post.

use super::Conn;
use super::sql::Sql;
use sqlx::FromRow;

/// A co-op's Like of a post.
#[derive(Debug, Clone, FromRow)]
pub struct SentLike {
    pub like_id: String,
    pub coop_id: i64,
    pub object_id: String,
    pub author_id: String,
    pub created_at: i64,
}

/// Keeps a Like; false when the co-op already likes the post (nothing changes then).
pub async fn insert(conn: &mut Conn, like: &SentLike) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO sent_likes (like_id, coop_id, object_id, author_id, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (coop_id, object_id) DO NOTHING",
    )
    .bind(&like.like_id)
    .bind(like.coop_id)
    .bind(&like.object_id)
    .bind(&like.author_id)
    .bind(like.created_at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// A co-op's Like of a post, if it gave one.
pub async fn find(
    conn: &mut Conn,
    coop_id: i64,
    object_id: &str,
) -> Result<Option<SentLike>, sqlx::Error> {
    sqlx::query_as(
        "SELECT like_id, coop_id, object_id, author_id, created_at FROM sent_likes \
         WHERE coop_id = $1 AND object_id = $2",
    )
    .bind(coop_id)
    .bind(object_id)
    .fetch_optional(conn)
    .await
}

/// Forgets a Like (its Undo was sent).
pub async fn remove(conn: &mut Conn, like_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sent_likes WHERE like_id = $1")
        .bind(like_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Which of `object_ids` the co-op likes.
pub async fn liked_among(
    conn: &mut Conn,
    coop_id: i64,
    object_ids: &[String],
) -> Result<Vec<String>, sqlx::Error> {
    if object_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new("SELECT object_id FROM sent_likes WHERE coop_id = ");
    sql.push("?", [super::sql::Value::Int(coop_id)]);
    sql.push(" AND object_id", []);
    sql.in_list(object_ids);
    let rows: Vec<(String,)> = sql.fetch_all(conn).await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}
