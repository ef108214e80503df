//! The `boosts` table: Announces by actors that co-ops here follow.

use super::Conn;

/// Keeps a boost (a repeated Announce id changes nothing).
pub async fn insert(
    conn: &mut Conn,
    id: &str,
    actor_id: &str,
    object_id: &str,
    published_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO boosts (id, actor_id, object_id, published_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(actor_id)
    .bind(object_id)
    .bind(published_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Forgets a boost undone by its booster; false when there was none.
pub async fn remove(conn: &mut Conn, id: &str, actor_id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM boosts WHERE id = $1 AND actor_id = $2")
        .bind(id)
        .bind(actor_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Forgets every boost of a deleted post.
pub async fn remove_of_object(conn: &mut Conn, object_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM boosts WHERE object_id = $1")
        .bind(object_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Forgets every boost by an actor.
pub async fn remove_by_actor(conn: &mut Conn, actor_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM boosts WHERE actor_id = $1")
        .bind(actor_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Forgets every boost of an actor's posts (before the posts go).
pub async fn remove_of_posts_by(conn: &mut Conn, author_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM boosts WHERE object_id IN (SELECT id FROM remote_posts WHERE actor_id = $1)",
    )
    .bind(author_id)
    .execute(conn)
    .await?;
    Ok(())
}
