//! What a story's page shows of its conversation: likes, and the replies from anyone,
//! threaded one level, each with its author's name and handle.

use std::collections::HashMap;

use crate::AppError;
use crate::app::Node;
use crate::content::stories::Story;
use crate::content::{conversations, html, names, reactions};
use crate::db::remote_posts::RemotePostRow;
use crate::federation::objects::timestamp;

/// A reply as shown.
pub struct ReplyView {
    pub id: String,
    pub url: String,
    pub author_name: String,
    /// `@name@host`, or the actor's URL when its cache entry has no name.
    pub author_handle: String,
    pub author_url: String,
    pub content_html: String,
    pub published: String,
    /// Replies under this one (top-level replies only).
    pub children: Vec<ReplyView>,
}

async fn view(
    node: &Node,
    p: &RemotePostRow,
    names: &mut HashMap<String, (String, String)>,
) -> Result<ReplyView, AppError> {
    if !names.contains_key(&p.actor_id) {
        let found = names::of_actor(node, &p.actor_id).await?;
        names.insert(p.actor_id.clone(), found);
    }
    let (name, handle) = names.get(&p.actor_id).cloned().unwrap_or_default();
    Ok(ReplyView {
        id: p.id.clone(),
        url: crate::web::directory::http_url(p.url.as_deref()).unwrap_or_else(|| p.id.clone()),
        author_name: name,
        author_handle: handle,
        author_url: p.actor_id.clone(),
        content_html: html::sanitize(&p.content),
        published: timestamp(p.published_at.unwrap_or(p.received_at)),
        children: Vec::new(),
    })
}

/// The replies under a story, threaded one level (a reply whose top-level reply is hidden
/// or missing shows at the top level), and its likes.
pub async fn of_story(node: &Node, story: &Story) -> Result<(Vec<ReplyView>, i64), AppError> {
    let rows = conversations::replies(node, story).await?;
    let mut names = HashMap::new();
    let mut top: Vec<ReplyView> = Vec::new();
    let mut under: Vec<(String, ReplyView)> = Vec::new();
    for p in &rows {
        let v = view(node, p, &mut names).await?;
        match &p.thread_parent {
            Some(parent) => under.push((parent.clone(), v)),
            None => top.push(v),
        }
    }
    for (parent, v) in under {
        match top.iter_mut().find(|t| t.id == parent) {
            Some(t) => t.children.push(v),
            None => top.push(v),
        }
    }
    Ok((top, reactions::likes(node, story).await?))
}
