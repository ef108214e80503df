//! `Like`: received when someone likes a co-op's story; counted on the story's page. Likes
//! of anything else are ignored. Sent when a co-op likes a post from its timeline (and
//! `Undo` of it when it stops liking it), to the post's author only, as Mastodon does.

use serde_json::{Value, json};
use url::Url;

use super::{Incoming, add_inbox_of, envelope, id_of};
use crate::app::Node;
use crate::content::coops::Coop;
use crate::content::{conversations, reactions};
use crate::db::sent_likes::SentLike;
use crate::federation::urls;
use crate::{AppError, db, delivery};

/// Counts the signer's like of a story here.
pub async fn receive(ctx: &Incoming<'_>, id: &Url, object: Option<&Value>) -> Result<(), AppError> {
    let target = id_of(object).ok_or_else(|| AppError::BadRequest("Like has no object".into()))?;
    if !ctx.node.is_local(&target) {
        return Ok(());
    }
    match conversations::local_story(ctx.node, &target).await? {
        Some(story) => reactions::like(ctx.node, &story, ctx.signer.as_str(), id.as_str()).await,
        None => Ok(()),
    }
}

/// The Like document of `like`, by `coop`.
fn document(node: &Node, coop: &Coop, like: &SentLike) -> Result<Value, AppError> {
    let id = Url::parse(&like.like_id).map_err(|e| AppError::Internal(e.to_string()))?;
    let actor = urls::coop(&node.base, &coop.row.handle);
    let mut doc = envelope(&id, "Like", &actor, json!(like.object_id));
    doc["to"] = json!([like.author_id]);
    Ok(doc)
}

/// Queues `coop`'s Like for the (remote) author's inbox.
pub async fn send(
    node: &Node,
    conn: &mut db::Conn,
    coop: &Coop,
    like: &SentLike,
) -> Result<(), AppError> {
    let activity = document(node, coop, like)?;
    let mut inboxes = Vec::new();
    add_inbox_of(conn, &like.author_id, &mut inboxes).await?;
    delivery::enqueue(conn, Some(coop.row.id), &activity, &inboxes).await
}

/// Queues the Undo of `coop`'s Like for the (remote) author's inbox.
pub async fn send_undo(
    node: &Node,
    conn: &mut db::Conn,
    coop: &Coop,
    like: &SentLike,
) -> Result<(), AppError> {
    let mut inner = document(node, coop, like)?;
    if let Some(map) = inner.as_object_mut() {
        map.remove("@context");
    }
    let id = urls::new_activity(&node.base);
    let actor = urls::coop(&node.base, &coop.row.handle);
    let mut activity = envelope(&id, "Undo", &actor, inner);
    activity["to"] = json!([like.author_id]);
    let mut inboxes = Vec::new();
    add_inbox_of(conn, &like.author_id, &mut inboxes).await?;
    delivery::enqueue(conn, Some(coop.row.id), &activity, &inboxes).await
}
