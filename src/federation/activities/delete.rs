//! `Delete`: sent when a story is deleted, or an actor here (a sub-feed the organiser
//! removes); received when an actor or a post is deleted.

use serde_json::{Value, json};

use super::{Incoming, envelope, id_of, require_signer_origin};
use crate::app::Node;
use crate::content::coops::Coop;
use crate::content::stories::Story;
use crate::federation::objects::{PUBLIC, note};
use crate::federation::urls;
use crate::{AppError, db, delivery};

/// Queues the Delete (with a Tombstone) of a story for every follower.
pub async fn send_story(
    node: &Node,
    conn: &mut db::Conn,
    story: &Story,
    now_ms: i64,
) -> Result<(), AppError> {
    let inboxes = super::story_inboxes(conn, story).await?;
    delivery::enqueue(
        conn,
        Some(story.coop.id),
        &note::delete(&node.base, story, now_ms),
        &inboxes,
    )
    .await
}

/// Queues the Delete of `actor` itself (signed with its own key) for its followers, as
/// Mastodon sends when an account is deleted: they forget it and its follows.
pub async fn send_actor(node: &Node, conn: &mut db::Conn, actor: &Coop) -> Result<(), AppError> {
    let id = urls::new_activity(&node.base);
    let actor_id = urls::coop(&node.base, &actor.row.handle);
    let mut activity = envelope(&id, "Delete", &actor_id, json!(actor_id));
    activity["to"] = json!([PUBLIC]);
    let inboxes = db::followers::delivery_inboxes(conn, actor.row.id).await?;
    delivery::enqueue(conn, Some(actor.row.id), &activity, &inboxes).await
}

/// Forgets a deleted actor (it must be the signer) or removes a post the signer wrote.
/// The object must be on the signer's origin.
pub async fn receive(ctx: &Incoming<'_>, object: Option<&Value>) -> Result<(), AppError> {
    let id = id_of(object).ok_or_else(|| AppError::BadRequest("Delete has no object".into()))?;
    require_signer_origin(ctx, &id, "object")?;
    if &id == ctx.signer {
        crate::directory::consent::actor_deleted(ctx.node, id.as_str()).await?;
        crate::content::followers::actor_deleted(ctx.node, id.as_str()).await?;
        crate::content::conversations::forget_actor(ctx.node, id.as_str()).await?;
        return Ok(());
    }
    crate::content::conversations::forget(ctx.node, id.as_str(), ctx.signer.as_str()).await?;
    crate::directory::ingest::post_deleted(ctx.node, id.as_str(), ctx.signer.as_str()).await?;
    Ok(())
}
