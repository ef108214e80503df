//! The `story_likes` table: Likes of a co-op's stories.

use super::Conn;

/// Keeps a like (one per actor and story; a repeat keeps the first).
pub async fn insert(
    conn: &mut Conn,
    story_id: i64,
    actor_id: &str,
    like_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO story_likes (story_id, actor_id, like_id, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (story_id, actor_id) DO NOTHING",
    )
    .bind(story_id)
    .bind(actor_id)
    .bind(like_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Forgets a like, named by its id, of the actor that made it.
pub async fn remove(conn: &mut Conn, like_id: &str, actor_id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM story_likes WHERE like_id = $1 AND actor_id = $2")
        .bind(like_id)
        .bind(actor_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Forgets an actor's like of a story (an Undo naming the story rather than the Like).
pub async fn remove_of_story(
    conn: &mut Conn,
    story_id: i64,
    actor_id: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM story_likes WHERE story_id = $1 AND actor_id = $2")
        .bind(story_id)
        .bind(actor_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Forgets every like by an actor.
pub async fn remove_by_actor(conn: &mut Conn, actor_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM story_likes WHERE actor_id = $1")
        .bind(actor_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// How many likes a story has.
pub async fn count(conn: &mut Conn, story_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM story_likes WHERE story_id = $1")
        .bind(story_id)
        .fetch_one(conn)
        .await
}
