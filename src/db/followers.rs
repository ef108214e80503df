//! The `followers` table: remote (or local) actors following a co-op.

use super::Conn;
use sqlx::FromRow;

/// A follower of a co-op.
#[derive(Debug, Clone, FromRow)]
pub struct FollowerRow {
    pub id: i64,
    pub coop_id: i64,
    pub actor_id: String,
    pub inbox: String,
    pub shared_inbox: Option<String>,
    pub follow_id: String,
    pub state: String,
    pub created_at: i64,
}

const COLUMNS: &str = "id, coop_id, actor_id, inbox, shared_inbox, follow_id, state, created_at";

/// A follow request as it is recorded.
pub struct NewFollower<'a> {
    pub coop_id: i64,
    pub actor_id: &'a str,
    pub inbox: &'a str,
    pub shared_inbox: Option<&'a str>,
    pub follow_id: &'a str,
    pub state: &'a str,
}

/// Records a follow request, or refreshes the Follow id and inboxes of an existing one.
/// Returns the stored state (an accepted follower stays accepted).
pub async fn upsert(conn: &mut Conn, f: &NewFollower<'_>, now: i64) -> Result<String, sqlx::Error> {
    // Dialect spot: ON CONFLICT … DO UPDATE is understood by both SQLite and PostgreSQL.
    sqlx::query_scalar(
        "INSERT INTO followers (coop_id, actor_id, inbox, shared_inbox, follow_id, state, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (coop_id, actor_id) DO UPDATE SET inbox = excluded.inbox, \
         shared_inbox = excluded.shared_inbox, follow_id = excluded.follow_id \
         RETURNING state",
    )
    .bind(f.coop_id)
    .bind(f.actor_id)
    .bind(f.inbox)
    .bind(f.shared_inbox)
    .bind(f.follow_id)
    .bind(f.state)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// Sets a follower's state.
pub async fn set_state(
    conn: &mut Conn,
    coop_id: i64,
    actor_id: &str,
    state: &str,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("UPDATE followers SET state = $3 WHERE coop_id = $1 AND actor_id = $2")
        .bind(coop_id)
        .bind(actor_id)
        .bind(state)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Finds one follower of a co-op.
pub async fn find(
    conn: &mut Conn,
    coop_id: i64,
    actor_id: &str,
) -> Result<Option<FollowerRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM followers WHERE coop_id = $1 AND actor_id = $2"
    )))
    .bind(coop_id)
    .bind(actor_id)
    .fetch_optional(conn)
    .await
}

/// Removes one follower of a co-op; returns whether a row went.
pub async fn remove(conn: &mut Conn, coop_id: i64, actor_id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM followers WHERE coop_id = $1 AND actor_id = $2")
        .bind(coop_id)
        .bind(actor_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Removes an actor from the followers of every co-op (the actor was deleted).
pub async fn remove_actor_everywhere(conn: &mut Conn, actor_id: &str) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM followers WHERE actor_id = $1")
        .bind(actor_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Removes every follower whose own inbox is `inbox` (it answered 410 Gone); returns how many.
pub async fn remove_by_inbox(conn: &mut Conn, inbox: &str) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM followers WHERE inbox = $1")
        .bind(inbox)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// A co-op's followers in one state, oldest first.
pub async fn list(
    conn: &mut Conn,
    coop_id: i64,
    state: Option<&str>,
) -> Result<Vec<FollowerRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM followers WHERE coop_id = $1 AND ($2 IS NULL OR state = $2) ORDER BY id"
    )))
    .bind(coop_id)
    .bind(state)
    .fetch_all(conn)
    .await
}

/// How many accepted followers a co-op has.
pub async fn count_accepted(conn: &mut Conn, coop_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM followers WHERE coop_id = $1 AND state = 'accepted'")
        .bind(coop_id)
        .fetch_one(conn)
        .await
}

/// The distinct inboxes of a co-op's accepted followers, preferring shared inboxes.
pub async fn delivery_inboxes(conn: &mut Conn, coop_id: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT DISTINCT COALESCE(shared_inbox, inbox) FROM followers \
         WHERE coop_id = $1 AND state = 'accepted' ORDER BY 1",
    )
    .bind(coop_id)
    .fetch_all(conn)
    .await
}

/// Removes the follower whose Follow had this id (an Undo naming only the id).
pub async fn remove_by_follow_id(
    conn: &mut Conn,
    actor_id: &str,
    follow_id: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM followers WHERE actor_id = $1 AND follow_id = $2")
        .bind(actor_id)
        .bind(follow_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Finds the follower whose Follow had this id.
pub async fn by_follow_id(
    conn: &mut Conn,
    actor_id: &str,
    follow_id: &str,
) -> Result<Option<FollowerRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM followers WHERE actor_id = $1 AND follow_id = $2"
    )))
    .bind(actor_id)
    .bind(follow_id)
    .fetch_optional(conn)
    .await
}

/// Removes every follower of co-op `coop_id` (its actor is gone); returns how many.
pub async fn remove_all_of(conn: &mut Conn, coop_id: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM followers WHERE coop_id = $1")
        .bind(coop_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
