//! `Create`: sent when a co-op publishes a story; received when a followed actor posts.

use serde_json::Value;
use url::Url;

use super::{Incoming, id_of, require_signer_origin};
use crate::app::Node;
use crate::content::conversations;
use crate::content::html;
use crate::content::stories::Story;
use crate::db::remote_posts::RemotePostRow;
use crate::federation::objects::{note, parse_timestamp};
use crate::federation::origin::same_origin;
use crate::federation::thread;
use crate::{AppError, db, delivery, now_ms};

/// Post types kept: Notes in full; the others shown as title, summary and link.
pub const POST_TYPES: &[&str] = &[
    "Note", "Article", "Page", "Question", "Video", "Image", "Event",
];

/// Queues the Create of a story for every follower's (shared) inbox.
pub async fn send_story(node: &Node, conn: &mut db::Conn, story: &Story) -> Result<(), AppError> {
    let inboxes = super::story_inboxes(conn, story).await?;
    delivery::enqueue(
        conn,
        Some(story.coop.id),
        &note::create(&node.base, story),
        &inboxes,
    )
    .await
}

/// Reads a post object from an activity: embedded, or fetched from its own origin. Its
/// author must be the signer.
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
    parse_post(&id, object, Some(ctx.signer))
}

/// Fetches a post from its own origin, under its canonical id (an HTML link such as
/// Mastodon's `/@user/1` names the same post as `/users/user/statuses/1`; the fetch client
/// checked the document's id is on the URL's origin). None when it is not a post.
pub async fn fetch_post(
    node: &crate::app::Node,
    url: &Url,
    budget: &crate::federation::fetch::FetchBudget,
) -> Result<Option<RemotePostRow>, AppError> {
    let doc = node.fetcher.fetch_object(url, budget).await?;
    let id = id_of(doc.get("id")).unwrap_or_else(|| url.clone());
    parse_post(&id, &doc, None)
}

/// A post's row from its document `object` (whose id is `id`): None when it is not a post
/// type (an activity, a collection, an actor, a Tombstone…). The author is `author` when
/// given (it must be among `attributedTo`), else the first `attributedTo` on the post's
/// own origin: nobody can author a post on another server.
pub fn parse_post(
    id: &Url,
    object: &Value,
    author: Option<&Url>,
) -> Result<Option<RemotePostRow>, AppError> {
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
    let found = match author {
        Some(wanted) => authors.into_iter().find(|a| a == wanted),
        None => authors.into_iter().find(|a| same_origin(a, id)),
    };
    let Some(author) = found else {
        return Err(AppError::Forbidden(format!(
            "no author of {id} may claim it{}",
            author
                .map(|a| format!(" ({a} is not among its authors)"))
                .unwrap_or_default()
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
        in_reply_to: id_of(object.get("inReplyTo")).map(|u| u.to_string()),
        story_id: None,
        thread_parent: None,
    }))
}

/// The actors a post mentions (its `Mention` tags).
fn mentioned(object: Option<&Value>) -> Vec<Url> {
    let tags = match object.and_then(|o| o.get("tag")) {
        Some(Value::Array(list)) => list.clone(),
        Some(one) => vec![one.clone()],
        None => Vec::new(),
    };
    tags.iter()
        .filter(|t| t.get("type").and_then(Value::as_str) == Some("Mention"))
        .filter_map(|t| id_of(t.get("href")))
        .collect()
}

/// Everyone a post is addressed to (`to` and `cc`).
fn addressees(object: Option<&Value>) -> Vec<Url> {
    let mut out = Vec::new();
    for key in ["to", "cc"] {
        match object.and_then(|o| o.get(key)) {
            Some(Value::Array(list)) => out.extend(list.iter().filter_map(|v| id_of(Some(v)))),
            Some(one) => out.extend(id_of(Some(one))),
            None => {}
        }
    }
    out
}

/// Keeps a received post (a Create, or an Update when not `new`): placed in its story's
/// conversation when it is a reply to one here (with the ancestors fetched to find out),
/// else kept when a co-op here follows its author; mentioned co-ops are told; a directory
/// indexes it.
pub async fn keep_received(
    ctx: &Incoming<'_>,
    object: Option<&Value>,
    new: bool,
) -> Result<(), AppError> {
    let Some(post) = post_object(ctx, object).await? else {
        return Ok(());
    };
    if conversations::is_dead(ctx.node, &post.id).await? {
        return Ok(());
    }
    let mentions = mentioned(object);
    let ours = |u: &Url| ctx.node.is_local(u);
    let fetch = mentions.iter().any(ours) || addressees(object).iter().any(ours);
    let mut placed = thread::place(ctx, post, fetch).await?;
    // Ancestors were received "before" the reply: a conversation without dates reads in order.
    let now = now_ms();
    for (i, p) in placed.iter_mut().enumerate() {
        p.received_at = now - i as i64;
    }
    // Ancestors first, so each reply's parent is there before it.
    for p in placed.iter().rev() {
        conversations::keep(ctx.node, p).await?;
    }
    let post = &placed[0];
    conversations::notify_mentions(ctx.node, post, &mentions).await?;
    crate::directory::ingest::post(ctx.node, post, object, new).await
}

/// Keeps a post from an actor that a co-op here follows, or a reply in a conversation here.
pub async fn receive(ctx: &Incoming<'_>, object: Option<&Value>) -> Result<(), AppError> {
    keep_received(ctx, object, true).await
}
