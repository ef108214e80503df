//! The `notifications` table: what a co-op's members are told (mentions, replies).

use super::Conn;
use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct NotificationRow {
    pub kind: String,
    pub actor_id: String,
    pub object_id: String,
    pub created_at: i64,
}

/// Notes something for a co-op (the same thing twice is one notification).
pub async fn insert(
    conn: &mut Conn,
    coop_id: i64,
    kind: &str,
    actor_id: &str,
    object_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO notifications (coop_id, kind, actor_id, object_id, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (coop_id, kind, object_id) DO NOTHING",
    )
    .bind(coop_id)
    .bind(kind)
    .bind(actor_id)
    .bind(object_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// A co-op's notifications, newest first.
pub async fn list(
    conn: &mut Conn,
    coop_id: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<NotificationRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT kind, actor_id, object_id, created_at FROM notifications WHERE coop_id = $1 \
         ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3",
    )
    .bind(coop_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}

/// Forgets the notifications about a deleted object.
pub async fn remove_of_object(conn: &mut Conn, object_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM notifications WHERE object_id = $1")
        .bind(object_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Forgets every notification caused by an actor.
pub async fn remove_by_actor(conn: &mut Conn, actor_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM notifications WHERE actor_id = $1")
        .bind(actor_id)
        .execute(conn)
        .await?;
    Ok(())
}
