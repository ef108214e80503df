//! `Create`: sent when a co-op publishes a story; received when a followed actor posts.

use serde_json::Value;
use url::Url;

use super::{Incoming, id_of, require_signer_origin};
use crate::app::Node;
use crate::content::html;
use crate::content::stories::Story;
use crate::db::remote_posts::RemotePostRow;
use crate::federation::objects::{note, parse_timestamp};
use crate::{AppError, db, delivery, now_ms};

/// Post types kept: Notes in full; the others shown as title, summary and link.
const POST_TYPES: &[&str] = &[
    "Note", "Article", "Page", "Question", "Video", "Image", "Event",
];

/// Queues the Create of a story for every follower's (shared) inbox.
pub async fn send_story(node: &Node, conn: &mut db::Conn, story: &Story) -> Result<(), AppError> {
    let inboxes = db::followers::delivery_inboxes(conn, story.coop.id).await?;
    delivery::enqueue(
        conn,
        Some(story.coop.id),
        &note::create(&node.base, story),
        &inboxes,
    )
    .await
}

/// Reads a post object from an activity: embedded, or fetched from its own origin.
pub async fn post_object(
    ctx: &Incoming<'_>,
    object: Option<&Value>,
) -> Result<Option<RemotePostRow>, AppError> {
    let id = id_of(object).ok_or_else(|| AppError::BadRequest("activity has no object".into()))?;
    require_signer_origin(ctx, &id, "object")?;
    let fetched;
    let object = match object {
        Some(o) if o.is_object() => o,
        _ => {
            fetched = ctx.node.fetcher.fetch_object(&id, ctx.budget).await?;
            &fetched
        }
    };
    let kind = object.get("type").and_then(Value::as_str).unwrap_or("");
    if !POST_TYPES.contains(&kind) {
        return Ok(None);
    }
    // attributedTo may be one id, an object, or a list of them (PeerTube names the channel too).
    let authors: Vec<Url> = match object.get("attributedTo") {
        Some(Value::Array(list)) => list.iter().filter_map(|a| id_of(Some(a))).collect(),
        other => id_of(other).into_iter().collect(),
    };
    if authors.is_empty() {
        return Err(AppError::BadRequest("object has no attributedTo".into()));
    }
    let Some(author) = authors.into_iter().find(|a| a == ctx.signer) else {
        return Err(AppError::Forbidden(format!(
            "{} is not among the authors of {id}",
            ctx.signer
        )));
    };
    let text = |key: &str| object.get(key).and_then(Value::as_str);
    let content = match kind {
        "Note" | "Question" => text("content").unwrap_or(""),
        _ => text("summary").unwrap_or(""),
    };
    Ok(Some(RemotePostRow {
        id: id.to_string(),
        actor_id: author.to_string(),
        kind: kind.to_string(),
        name: text("name").map(html::plain_text),
        content: html::sanitize(content),
        url: id_of(object.get("url")).map(|u| u.to_string()),
        published_at: text("published").and_then(parse_timestamp),
        updated_at: text("updated").and_then(parse_timestamp),
        received_at: now_ms(),
    }))
}

/// Keeps a post from an actor that a co-op here follows.
pub async fn receive(ctx: &Incoming<'_>, object: Option<&Value>) -> Result<(), AppError> {
    if let Some(post) = post_object(ctx, object).await? {
        crate::content::follows::store_post(ctx.node, &post).await?;
        crate::directory::ingest::post(ctx.node, &post, object, true).await?;
    }
    Ok(())
}
