//! Placing a received reply in a conversation here: walk up `inReplyTo` until a co-op's
//! story or a reply already kept, fetching unknown ancestors on the way (they join the
//! conversation too). At most `MAX_THREAD_DEPTH` ancestors are fetched, within the
//! activity's fetch budget, so a reply at the end of a 10,000-long chain costs a bounded
//! number of requests; a chain longer than that is not followed. Ancestors are fetched only
//! for a post that is addressed to or mentions a co-op here.

use url::Url;

use super::activities::Incoming;
use super::activities::create::parse_post;
use crate::AppError;
use crate::content::conversations::{self, Anchor};
use crate::db::remote_posts::RemotePostRow;

/// The most unknown ancestors fetched to place one reply.
pub const MAX_THREAD_DEPTH: usize = 8;

/// `post` first, then the ancestors fetched to place it, each with its anchor (story and
/// top-level reply) when the chain reaches a conversation here; `post` alone, unanchored,
/// when it does not (or when `fetch` is false and its parent is unknown here).
pub async fn place(
    ctx: &Incoming<'_>,
    post: RemotePostRow,
    fetch: bool,
) -> Result<Vec<RemotePostRow>, AppError> {
    let mut chain = vec![post];
    let mut next = chain[0]
        .in_reply_to
        .as_deref()
        .and_then(|u| Url::parse(u).ok());
    while let Some(parent) = next.take() {
        if let Some(anchor) = conversations::anchor_of(ctx.node, &parent).await? {
            anchor_chain(&mut chain, &anchor);
            return Ok(chain);
        }
        if !fetch || ctx.node.is_local(&parent) || chain.len() > MAX_THREAD_DEPTH {
            break;
        }
        if conversations::is_dead(ctx.node, parent.as_str()).await?
            || crate::moderation::blocked(ctx.node, parent.as_str()).await?
        {
            break;
        }
        match ancestor(ctx, &parent).await {
            Some(row) => {
                next = row.in_reply_to.as_deref().and_then(|u| Url::parse(u).ok());
                chain.push(row);
            }
            None => break,
        }
    }
    chain.truncate(1);
    Ok(chain)
}

/// Gives every post of `chain` (the reply first, its farthest fetched ancestor last) its
/// place: the last one answers `anchor` directly.
fn anchor_chain(chain: &mut [RemotePostRow], anchor: &Anchor) {
    let top = match &anchor.thread_parent {
        Some(parent) => Some(parent.clone()),
        None => chain.last().map(|p| p.id.clone()),
    };
    let last = chain.len() - 1;
    for (i, p) in chain.iter_mut().enumerate() {
        p.story_id = Some(anchor.story_id);
        p.thread_parent = if i == last && anchor.thread_parent.is_none() {
            None
        } else {
            top.clone()
        };
    }
}

/// An ancestor fetched from its own origin, if it is a post; fetch failures (gone, budget
/// spent, not a post) end the walk without failing the activity.
async fn ancestor(ctx: &Incoming<'_>, id: &Url) -> Option<RemotePostRow> {
    let doc = match ctx.node.fetcher.fetch_object(id, ctx.budget).await {
        Ok(doc) => doc,
        Err(e) => {
            tracing::debug!(%id, "not following a reply chain further: {e}");
            return None;
        }
    };
    parse_post(id, &doc, None).ok().flatten()
}
