//! The queries behind purging what is stored about actors (a blocked domain's, or an
//! actor a co-op blocked): which actors are known at all, and their follow rows across
//! co-ops. The deletions themselves are each table family's own functions.

use super::Conn;
use super::followers::FollowerRow;
use super::follows::FollowRow;

/// Every actor id stored anywhere: followers, follows, the actor cache, received posts
/// and directory listings. A domain block filters these by host.
pub async fn stored_actor_ids(conn: &mut Conn) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT actor_id FROM followers UNION SELECT target_id FROM follows \
         UNION SELECT id FROM remote_actors UNION SELECT actor_id FROM remote_posts \
         UNION SELECT actor_id FROM listings UNION SELECT actor_id FROM directory_suggestions \
         UNION SELECT actor_id FROM boosts UNION SELECT actor_id FROM story_likes \
         UNION SELECT actor_id FROM notifications",
    )
    .fetch_all(conn)
    .await
}

/// The actor's follows of co-ops here, one row per co-op.
pub async fn followings_of(
    conn: &mut Conn,
    actor_id: &str,
) -> Result<Vec<FollowerRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, coop_id, actor_id, inbox, shared_inbox, follow_id, state, created_at \
         FROM followers WHERE actor_id = $1 ORDER BY id",
    )
    .bind(actor_id)
    .fetch_all(conn)
    .await
}

/// Co-ops' follows of the actor, one row per co-op.
pub async fn follows_of(conn: &mut Conn, target_id: &str) -> Result<Vec<FollowRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, coop_id, target_id, follow_id, state, created_at \
         FROM follows WHERE target_id = $1 ORDER BY id",
    )
    .bind(target_id)
    .fetch_all(conn)
    .await
}
