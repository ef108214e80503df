//! The `follows` table: whom a co-op here follows.

use super::Conn;
use sqlx::FromRow;

/// A co-op's follow of another actor.
#[derive(Debug, Clone, FromRow)]
pub struct FollowRow {
    pub id: i64,
    pub coop_id: i64,
    pub target_id: String,
    pub follow_id: String,
    pub state: String,
    pub created_at: i64,
}

const COLUMNS: &str = "id, coop_id, target_id, follow_id, state, created_at";

/// Records a new pending follow, replacing an earlier one of the same target.
pub async fn upsert_pending(
    conn: &mut Conn,
    coop_id: i64,
    target_id: &str,
    follow_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO follows (coop_id, target_id, follow_id, state, created_at) VALUES ($1, $2, $3, 'pending', $4) \
         ON CONFLICT (coop_id, target_id) DO UPDATE SET follow_id = excluded.follow_id, state = 'pending'",
    )
    .bind(coop_id)
    .bind(target_id)
    .bind(follow_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Finds a follow by the id of our Follow activity.
pub async fn by_follow_id(
    conn: &mut Conn,
    follow_id: &str,
) -> Result<Option<FollowRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM follows WHERE follow_id = $1"
    )))
    .bind(follow_id)
    .fetch_optional(conn)
    .await
}

/// Finds a co-op's follow of a target.
pub async fn find(
    conn: &mut Conn,
    coop_id: i64,
    target_id: &str,
) -> Result<Option<FollowRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM follows WHERE coop_id = $1 AND target_id = $2"
    )))
    .bind(coop_id)
    .bind(target_id)
    .fetch_optional(conn)
    .await
}

/// Sets the state of a follow.
pub async fn set_state(conn: &mut Conn, id: i64, state: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE follows SET state = $2 WHERE id = $1")
        .bind(id)
        .bind(state)
        .execute(conn)
        .await?;
    Ok(())
}

/// Removes a follow.
pub async fn remove(conn: &mut Conn, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM follows WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A co-op's follows, oldest first.
pub async fn list(conn: &mut Conn, coop_id: i64) -> Result<Vec<FollowRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM follows WHERE coop_id = $1 ORDER BY id"
    )))
    .bind(coop_id)
    .fetch_all(conn)
    .await
}

/// A follow with what the remote-actor cache knows of its target.
#[derive(Debug, Clone, FromRow)]
pub struct FollowNamed {
    #[sqlx(flatten)]
    pub follow: FollowRow,
    pub name: Option<String>,
    pub preferred_username: Option<String>,
}

/// A page of a co-op's follows, newest first, each with its target's cached name and
/// username.
pub async fn list_named(
    conn: &mut Conn,
    coop_id: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<FollowNamed>, sqlx::Error> {
    sqlx::query_as(
        "SELECT f.id, f.coop_id, f.target_id, f.follow_id, f.state, f.created_at, \
         ra.name, ra.preferred_username \
         FROM follows f LEFT JOIN remote_actors ra ON ra.id = f.target_id \
         WHERE f.coop_id = $1 ORDER BY f.id DESC LIMIT $2 OFFSET $3",
    )
    .bind(coop_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}

/// Whether any co-op here has an accepted follow of this actor.
pub async fn anyone_follows(conn: &mut Conn, target_id: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM follows WHERE target_id = $1 AND state = 'accepted'",
    )
    .bind(target_id)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// How many accepted follows a co-op has.
pub async fn count_accepted(conn: &mut Conn, coop_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM follows WHERE coop_id = $1 AND state = 'accepted'")
        .bind(coop_id)
        .fetch_one(conn)
        .await
}

/// Removes every follow of an actor (the actor was deleted).
pub async fn remove_target_everywhere(conn: &mut Conn, target_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM follows WHERE target_id = $1")
        .bind(target_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A page of the actors a co-op follows with an accepted Follow, newest first.
pub async fn accepted_targets(
    conn: &mut Conn,
    coop_id: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT target_id FROM follows WHERE coop_id = $1 AND state = 'accepted'
         ORDER BY id DESC LIMIT $2 OFFSET $3",
    )
    .bind(coop_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}
