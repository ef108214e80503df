//! `Announce`: sent when the directory (or one of its sub-feeds), or a co-op, boosts a
//! story; received from listed actors (they are active) and from followed actors (their
//! boosts reach the timelines of the co-ops following them).

use serde_json::{Value, json};

use url::Url;

use super::create::parse_post;
use super::{Incoming, id_of, type_of};
use crate::app::Node;
use crate::content::coops::Coop;
use crate::content::{conversations, reactions};
use crate::federation::objects::parse_timestamp;
use crate::federation::objects::{PUBLIC, timestamp};
use crate::federation::{context, urls};
use crate::{AppError, db, delivery, now_ms};

/// Queues an Announce of `object_id` by `booster` to its followers (and to `author`, the
/// boosted post's author, when given); returns the Announce's id.
pub async fn send(
    node: &Node,
    conn: &mut db::Conn,
    booster: &Coop,
    object_id: &str,
    author: Option<&str>,
) -> Result<Url, AppError> {
    let id = urls::new_activity(&node.base);
    let actor = urls::coop(&node.base, &booster.row.handle);
    let activity = json!({
        "@context": context::full(),
        "id": id,
        "type": "Announce",
        "actor": actor,
        "published": timestamp(now_ms()),
        "to": [PUBLIC],
        "cc": [urls::coop_part(&node.base, &booster.row.handle, "followers")],
        "object": object_id,
    });
    let mut inboxes = db::followers::delivery_inboxes(conn, booster.row.id).await?;
    if let Some(author) = author {
        super::add_inbox_of(conn, author, &mut inboxes).await?;
    }
    delivery::enqueue(conn, Some(booster.row.id), &activity, &inboxes).await?;
    Ok(id)
}

/// A boost: the signer is active (directory); when a co-op here follows the signer, the
/// boosted post is fetched from its own origin (never trusted from the Announce) within the
/// fetch budget and kept with the boost. Refused: an Announce of itself or of another
/// activity (loops). Dropped: objects that were deleted or are on a blocked domain, and
/// local stories.
pub async fn receive(ctx: &Incoming<'_>, id: &Url, activity: &Value) -> Result<(), AppError> {
    let object = activity.get("object");
    let Some(object_id) = id_of(object) else {
        return Err(AppError::BadRequest("Announce has no object".into()));
    };
    if &object_id == id || matches!(type_of(object), "Announce" | "Create" | "Update" | "Like") {
        return Err(AppError::BadRequest(format!(
            "Announce {id} boosts itself or another activity"
        )));
    }
    crate::directory::ingest::boosted(ctx.node, ctx.signer.as_str()).await?;
    if ctx.node.is_local(&object_id)
        || !reactions::followed(ctx.node, ctx.signer.as_str()).await?
        || conversations::is_dead(ctx.node, object_id.as_str()).await?
        || crate::moderation::blocked(ctx.node, object_id.as_str()).await?
    {
        // Ours, unfollowed, deleted, or from a blocked domain (never fetched): dropped.
        return Ok(());
    }
    let doc = ctx
        .node
        .fetcher
        .fetch_object(&object_id, ctx.budget)
        .await?;
    if id_of(doc.get("id")).as_ref() == Some(id) {
        return Err(AppError::BadRequest(format!("Announce {id} boosts itself")));
    }
    let Some(post) = parse_post(&object_id, &doc, None)? else {
        return Ok(());
    };
    let published = activity
        .get("published")
        .and_then(Value::as_str)
        .and_then(parse_timestamp)
        .unwrap_or_else(now_ms);
    reactions::boost(ctx.node, id.as_str(), ctx.signer.as_str(), &post, published).await
}
