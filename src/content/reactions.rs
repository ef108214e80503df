//! Boosts and likes: an Announce by a followed actor puts the boosted post in its
//! followers' timelines here; a Like of a co-op's story is counted on the story's page.

use crate::app::Node;
use crate::content::stories::Story;
use crate::db::remote_posts::RemotePostRow;
use crate::{AppError, db, now_ms};

/// Whether any co-op here follows `actor_id` (so its boosts are worth keeping).
pub async fn followed(node: &Node, actor_id: &str) -> Result<bool, AppError> {
    let mut conn = node.db.acquire().await?;
    Ok(db::follows::anyone_follows(&mut conn, actor_id).await?)
}

/// Keeps a boost by `actor_id` (Announce `id`) of `post`, and the post itself.
pub async fn boost(
    node: &Node,
    id: &str,
    actor_id: &str,
    post: &RemotePostRow,
    published_at: i64,
) -> Result<(), AppError> {
    let mut tx = crate::db::begin(&node.db).await?;
    if db::tombstones::is_dead(&mut tx, &post.id).await? {
        return Ok(());
    }
    if !db::remote_posts::upsert(&mut tx, post).await? {
        return Err(AppError::Forbidden(format!(
            "{} is not the author of {}",
            post.actor_id, post.id
        )));
    }
    db::boosts::insert(&mut tx, id, actor_id, &post.id, published_at).await?;
    tx.commit().await?;
    Ok(())
}

/// Forgets a boost its booster undid.
pub async fn unboost(node: &Node, id: &str, actor_id: &str) -> Result<bool, AppError> {
    let mut conn = node.db.acquire().await?;
    Ok(db::boosts::remove(&mut conn, id, actor_id).await?)
}

/// Counts `actor_id`'s Like (`like_id`) of a story here.
pub async fn like(
    node: &Node,
    story: &Story,
    actor_id: &str,
    like_id: &str,
) -> Result<(), AppError> {
    let mut conn = node.db.acquire().await?;
    db::story_likes::insert(&mut conn, story.row.id, actor_id, like_id, now_ms()).await?;
    Ok(())
}

/// Forgets a like its maker undid: named by the Like's id, or by the story it liked.
pub async fn unlike(
    node: &Node,
    like_id: &str,
    story: Option<&Story>,
    actor_id: &str,
) -> Result<bool, AppError> {
    let mut conn = node.db.acquire().await?;
    if db::story_likes::remove(&mut conn, like_id, actor_id).await? {
        return Ok(true);
    }
    match story {
        Some(s) => Ok(db::story_likes::remove_of_story(&mut conn, s.row.id, actor_id).await?),
        None => Ok(false),
    }
}

/// How many likes a story has.
pub async fn likes(node: &Node, story: &Story) -> Result<i64, AppError> {
    let mut conn = node.db.acquire().await?;
    Ok(db::story_likes::count(&mut conn, story.row.id).await?)
}

/// A co-op boosts a post (a story here or a remote post): an Announce to its followers and
/// to the post's author. Returns the Announce's id.
pub async fn boost_post(node: &Node, handle: &str, url: &str) -> Result<url::Url, AppError> {
    let coop = crate::content::coops::find(node, handle).await?;
    let (post, author) = crate::content::conversations::parent_of_reply(node, url).await?;
    let mut tx = crate::db::begin(&node.db).await?;
    let id = crate::federation::activities::announce::send(
        node,
        &mut tx,
        &coop,
        post.as_str(),
        Some(author.as_str()),
    )
    .await?;
    tx.commit().await?;
    node.deliveries_queued.notify_one();
    Ok(id)
}
