//! Purging what is stored about blocked actors. Follows end in both directions: the
//! actor's follows of co-ops here are removed with a Reject (as Mastodon removes a
//! follower), co-ops' follows of the actor are withdrawn with an Undo; then, for a blocked
//! domain, its actors' posts, cached documents and directory listings are forgotten. The
//! Rejects and Undos are queued in the same transaction as the removals (outbox pattern).

use url::Url;

use super::domains::Purged;
use crate::app::Node;
use crate::content::coops;
use crate::federation::activities::{reject, undo};
use crate::{AppError, db};

/// Removes everything stored from a blocked domain's actors, in one transaction. This is
/// the one place to add tables that hold what others sent (replies, likes, …).
pub async fn purge_domain(node: &Node, domain: &str) -> Result<Purged, AppError> {
    let mut tx = db::begin(&node.db).await?;
    let mut purged = Purged::default();
    let stored = db::purge::stored_actor_ids(&mut tx).await?;
    let blocked = stored
        .iter()
        .filter(|id| Url::parse(id).is_ok_and(|url| super::covers(domain, &url)));
    for actor_id in blocked {
        purged.followers += end_followings(node, &mut tx, actor_id, None).await?;
        purged.follows += withdraw_follows(node, &mut tx, actor_id, None).await?;
        forget_actor(&mut tx, actor_id).await?;
        purged.actors += 1;
    }
    tx.commit().await?;
    node.deliveries_queued.notify_one();
    Ok(purged)
}

/// Forgets what an actor sent and what is known of it: its posts and replies (and the
/// boosts of them), its boosts, likes and what co-ops were told of it, its cached
/// document, its directory listing and suggestion.
async fn forget_actor(conn: &mut db::Conn, actor_id: &str) -> Result<(), AppError> {
    db::boosts::remove_of_posts_by(conn, actor_id).await?;
    db::boosts::remove_by_actor(conn, actor_id).await?;
    db::story_likes::remove_by_actor(conn, actor_id).await?;
    db::notifications::remove_by_actor(conn, actor_id).await?;
    db::remote_posts::remove_by_actor(conn, actor_id).await?;
    db::remote_actors::remove(conn, actor_id).await?;
    db::listings::delist(conn, actor_id, "its domain is blocked").await?;
    db::listings::drop_suggestion(conn, actor_id).await?;
    Ok(())
}

/// Ends the actor's follows of co-ops here (of one co-op, or of all), sending each a
/// Reject; returns how many went.
pub(super) async fn end_followings(
    node: &Node,
    conn: &mut db::Conn,
    actor_id: &str,
    only_coop: Option<i64>,
) -> Result<u64, AppError> {
    let mut ended = 0;
    for row in db::purge::followings_of(conn, actor_id).await? {
        if only_coop.is_some_and(|id| id != row.coop_id) {
            continue;
        }
        let coop = coops::by_id(node, row.coop_id).await?;
        reject::send(node, conn, &coop, actor_id, &row.inbox, &row.follow_id).await?;
        db::followers::remove(conn, row.coop_id, actor_id).await?;
        ended += 1;
    }
    Ok(ended)
}

/// Withdraws co-ops' follows of the actor (one co-op's, or all), sending an Undo where its
/// inbox is known; returns how many went.
pub(super) async fn withdraw_follows(
    node: &Node,
    conn: &mut db::Conn,
    actor_id: &str,
    only_coop: Option<i64>,
) -> Result<u64, AppError> {
    let mut withdrawn = 0;
    let target = db::remote_actors::by_id(conn, actor_id).await?;
    for follow in db::purge::follows_of(conn, actor_id).await? {
        if only_coop.is_some_and(|id| id != follow.coop_id) {
            continue;
        }
        let coop = coops::by_id(node, follow.coop_id).await?;
        match &target {
            Some(actor) => {
                undo::send_follow(node, conn, &coop, actor, &follow.follow_id).await?;
            }
            None => {
                tracing::info!(%actor_id, "no cached inbox: the follow is dropped without an Undo")
            }
        }
        db::follows::remove(conn, follow.id).await?;
        withdrawn += 1;
    }
    Ok(withdrawn)
}
