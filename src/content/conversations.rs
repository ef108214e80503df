//! What co-ops here read and are told: posts of followed actors, the replies (from anyone)
//! in the conversation under a co-op's story, and what a Delete takes away. A post whose id
//! was deleted is never kept again (tombstones).

use url::Url;

use crate::app::Node;
use crate::content::stories::{self, Story};
use crate::db::remote_posts::RemotePostRow;
use crate::federation::urls;
use crate::{AppError, db, now_ms};

/// How many replies a story's page shows.
pub const MAX_REPLIES: i64 = 200;

/// Where a reply belongs: the local story, and the top-level reply it hangs under.
#[derive(Debug, Clone, PartialEq)]
pub struct Anchor {
    pub story_id: i64,
    pub thread_parent: Option<String>,
}

/// The live local story at `url`, if it is one.
pub async fn local_story(node: &Node, url: &Url) -> Result<Option<Story>, AppError> {
    let Some((handle, public_id)) = urls::story_of(&node.base, url) else {
        return Ok(None);
    };
    match stories::find_live(node, Some(&handle), &public_id).await {
        Ok(story) => Ok(Some(story)),
        Err(AppError::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Where a post answering `in_reply_to` belongs, when that is known here: a local story
/// (a top-level reply) or a reply already kept (it hangs under that reply's top level).
pub async fn anchor_of(node: &Node, in_reply_to: &Url) -> Result<Option<Anchor>, AppError> {
    if node.is_local(in_reply_to) {
        return Ok(local_story(node, in_reply_to).await?.map(|s| Anchor {
            story_id: s.row.id,
            thread_parent: None,
        }));
    }
    let mut conn = node.db.acquire().await?;
    Ok(db::remote_posts::by_id(&mut conn, in_reply_to.as_str())
        .await?
        .and_then(|p| {
            p.story_id.map(|story_id| Anchor {
                story_id,
                thread_parent: Some(p.thread_parent.unwrap_or(p.id)),
            })
        }))
}

/// Whether `id` was deleted.
pub async fn is_dead(node: &Node, id: &str) -> Result<bool, AppError> {
    let mut conn = node.db.acquire().await?;
    Ok(db::tombstones::is_dead(&mut conn, id).await?)
}

/// Keeps a received post: a reply in a story's conversation whoever wrote it (and its
/// co-op is told), any other post only when a co-op here follows its author. Returns
/// whether it was kept.
pub async fn keep(node: &Node, post: &RemotePostRow) -> Result<bool, AppError> {
    if is_dead(node, &post.id).await? {
        return Ok(false);
    }
    let Some(story_id) = post.story_id else {
        return crate::content::follows::store_post(node, post).await;
    };
    let mut tx = crate::db::begin(&node.db).await?;
    if !db::remote_posts::upsert(&mut tx, post).await? {
        return Err(AppError::Forbidden(format!(
            "{} is not the author of {}",
            post.actor_id, post.id
        )));
    }
    if let Some(coop_id) = db::stories::coop_of(&mut tx, story_id).await? {
        db::notifications::insert(
            &mut tx,
            coop_id,
            "reply",
            &post.actor_id,
            &post.id,
            now_ms(),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Tells each local co-op that `post` mentions.
pub async fn notify_mentions(
    node: &Node,
    post: &RemotePostRow,
    mentioned: &[Url],
) -> Result<(), AppError> {
    let mut conn = node.db.acquire().await?;
    for actor in mentioned {
        let Some(handle) = urls::coop_handle_of(&node.base, actor) else {
            continue;
        };
        if let Some(coop) = db::coops::by_handle(&mut conn, &handle).await? {
            db::notifications::insert(
                &mut conn,
                coop.id,
                "mention",
                &post.actor_id,
                &post.id,
                now_ms(),
            )
            .await?;
        }
    }
    Ok(())
}

/// Removes what a Delete from `actor_id` names: its post or reply (never another author's),
/// the boosts of it and what co-ops were told about it; the id is never kept again.
pub async fn forget(node: &Node, id: &str, actor_id: &str) -> Result<(), AppError> {
    let mut tx = crate::db::begin(&node.db).await?;
    if let Some(post) = db::remote_posts::by_id(&mut tx, id).await?
        && post.actor_id != actor_id
    {
        return Err(AppError::Forbidden(format!(
            "{actor_id} is not the author of {id}"
        )));
    }
    db::remote_posts::remove(&mut tx, id).await?;
    db::boosts::remove_of_object(&mut tx, id).await?;
    db::boosts::remove(&mut tx, id, actor_id).await?;
    db::story_likes::remove(&mut tx, id, actor_id).await?;
    db::notifications::remove_of_object(&mut tx, id).await?;
    db::tombstones::add(&mut tx, id, now_ms()).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes everything a deleted actor left here: posts, replies, boosts, likes, notifications.
pub async fn forget_actor(node: &Node, actor_id: &str) -> Result<(), AppError> {
    let mut tx = crate::db::begin(&node.db).await?;
    db::remote_posts::remove_by_actor(&mut tx, actor_id).await?;
    db::boosts::remove_by_actor(&mut tx, actor_id).await?;
    db::story_likes::remove_by_actor(&mut tx, actor_id).await?;
    db::notifications::remove_by_actor(&mut tx, actor_id).await?;
    tx.commit().await?;
    Ok(())
}

/// The replies under a story that its co-op has not hidden, oldest first.
pub async fn replies(node: &Node, story: &Story) -> Result<Vec<RemotePostRow>, AppError> {
    let mut conn = node.db.acquire().await?;
    Ok(db::remote_posts::replies_of_story(&mut conn, story.row.id, MAX_REPLIES).await?)
}

/// Hides a reply (with the replies under it) from a story's page.
pub async fn hide_reply(node: &Node, story: &Story, reply_id: &str) -> Result<(), AppError> {
    let mut conn = node.db.acquire().await?;
    if db::remote_posts::hide_reply(&mut conn, story.row.id, reply_id, now_ms()).await? {
        Ok(())
    } else {
        Err(AppError::NotFound(format!(
            "no reply {reply_id} under this story"
        )))
    }
}

/// The post a new story answers, checked: (its id, its author). A local story, or a remote
/// post fetched from its own origin (its author must be on that origin too).
pub async fn parent_of_reply(node: &Node, url: &str) -> Result<(Url, Url), AppError> {
    post_and_author(node, url, "in-reply-to").await
}

/// The post at `url` (a story here, or a remote post fetched and its author cached): its
/// canonical id and its author. Errors name the form `field` the URL came from.
pub async fn post_and_author(node: &Node, url: &str, field: &str) -> Result<(Url, Url), AppError> {
    let id = Url::parse(url.trim())
        .map_err(|_| AppError::Invalid(format!("{field}: '{url}' is not a URL")))?;
    if node.is_local(&id) {
        let story = local_story(node, &id)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("{field}: no story at {id}")))?;
        return Ok((id, urls::coop(&node.base, &story.coop.handle)));
    }
    let budget = crate::federation::fetch::FetchBudget::new();
    let post = crate::federation::activities::create::fetch_post(node, &id, &budget)
        .await?
        .ok_or_else(|| AppError::Invalid(format!("{field}: {id} is not a post")))?;
    let id = Url::parse(&post.id).map_err(|e| AppError::Remote(e.to_string()))?;
    let author = Url::parse(&post.actor_id).map_err(|e| AppError::Remote(e.to_string()))?;
    crate::federation::objects::remote_actor::resolve(node, &author, &budget).await?;
    Ok((id, author))
}

/// A page of co-op `coop_id`'s network timeline, newest first (what it follows posts and
/// boosts).
pub async fn timeline(
    node: &Node,
    coop_id: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<db::remote_posts::TimelineRow>, AppError> {
    let mut conn = node.db.acquire().await?;
    Ok(db::remote_posts::timeline(&mut conn, coop_id, limit, offset).await?)
}

/// A co-op's notifications (mentions, replies), newest first.
pub async fn notifications(
    node: &Node,
    coop_id: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<db::notifications::NotificationRow>, AppError> {
    let mut conn = node.db.acquire().await?;
    Ok(db::notifications::list(&mut conn, coop_id, limit, offset).await?)
}
