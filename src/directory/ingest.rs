//! Push: stories, edits, deletions and boosts from listed actors update the index as they
//! arrive, and each new story of a listed co-op that allows it is boosted (by the
//! directory and by the sub-feeds of its sectors and nation).

use serde_json::Value;

use super::boost;
use crate::app::Node;
use crate::db::listings::ListingStoryRow;
use crate::db::remote_posts::RemotePostRow;
use crate::{AppError, db, now_ms};

/// A post arrived from an actor (Create when `new`, else Update).
pub async fn post(
    node: &Node,
    post: &RemotePostRow,
    object: Option<&Value>,
    new: bool,
) -> Result<(), AppError> {
    if !node.config.directory.enabled() {
        return Ok(());
    }
    let mut conn = node.db.acquire().await?;
    let Some(listing) = db::listings::find(&mut conn, &post.actor_id).await? else {
        return Ok(());
    };
    if listing.state != "listed" {
        return Ok(());
    }
    drop(conn);
    if listing.indexable == 0 {
        let mut tx = crate::db::begin(&node.db).await?;
        db::listings::touch_active(&mut tx, &post.actor_id, now_ms()).await?;
        tx.commit().await?;
        return Ok(());
    }
    let kind = object
        .and_then(|o| o.get("storyKind"))
        .and_then(Value::as_str)
        .filter(|k| super::index::STORY_KINDS.contains(k))
        .unwrap_or("story");
    let story = ListingStoryRow {
        id: post.id.clone(),
        actor_id: post.actor_id.clone(),
        title: post.name.clone().unwrap_or_default(),
        content: post.content.clone(),
        url: post.url.clone(),
        kind: kind.to_string(),
        published_at: post.published_at.unwrap_or(post.received_at),
    };
    let mut tx = crate::db::begin(&node.db).await?;
    db::listings::touch_active(&mut tx, &post.actor_id, now_ms()).await?;
    db::listings::put_story(&mut tx, &story).await?;
    tx.commit().await?;
    if new && listing.boost_allowed == 1 && listing.boost_excluded == 0 {
        boost::announce(node, &post.actor_id, &post.id).await?;
    }
    Ok(())
}

/// A post was deleted by its author.
pub async fn post_deleted(node: &Node, id: &str, actor_id: &str) -> Result<(), AppError> {
    if !node.config.directory.enabled() {
        return Ok(());
    }
    let mut tx = crate::db::begin(&node.db).await?;
    db::listings::remove_story(&mut tx, id, actor_id).await?;
    tx.commit().await?;
    Ok(())
}

/// A listed actor boosted something: it is active.
pub async fn boosted(node: &Node, actor_id: &str) -> Result<(), AppError> {
    if !node.config.directory.enabled() {
        return Ok(());
    }
    let mut tx = crate::db::begin(&node.db).await?;
    db::listings::touch_active(&mut tx, actor_id, now_ms()).await?;
    tx.commit().await?;
    Ok(())
}
