//! Boosts and likes: an Announce by a followed actor puts the boosted post in its
//! followers' timelines here; a Like of a co-op's story is counted on the story's page. A
//! co-op here boosts and likes posts from its timeline (or the CLI).

use crate::app::Node;
use crate::content::stories::Story;
use crate::db::remote_posts::RemotePostRow;
use crate::db::sent_likes::SentLike;
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
    let (post, author) = crate::content::conversations::post_and_author(node, url, "url").await?;
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

/// Co-op `handle` likes the post at `url` (a story here or a remote post): a Like goes to
/// its author (a story here is counted at once), and the timeline shows it liked. Liking
/// it again changes nothing. Returns the Like's id.
pub async fn like_post(node: &Node, handle: &str, url: &str) -> Result<String, AppError> {
    let coop = crate::content::coops::find(node, handle).await?;
    let (post, author) = crate::content::conversations::post_and_author(node, url, "url").await?;
    let local = match node.is_local(&post) {
        true => crate::content::conversations::local_story(node, &post).await?,
        false => None,
    };
    let like = SentLike {
        like_id: crate::federation::urls::new_activity(&node.base).to_string(),
        coop_id: coop.row.id,
        object_id: post.to_string(),
        author_id: author.to_string(),
        created_at: now_ms(),
    };
    let mut tx = crate::db::begin(&node.db).await?;
    if !db::sent_likes::insert(&mut tx, &like).await? {
        let kept = db::sent_likes::find(&mut tx, coop.row.id, post.as_str()).await?;
        return Ok(kept.map_or(like.like_id, |k| k.like_id));
    }
    match &local {
        Some(story) => {
            let actor = crate::federation::urls::coop(&node.base, &coop.row.handle);
            db::story_likes::insert(
                &mut tx,
                story.row.id,
                actor.as_str(),
                &like.like_id,
                like.created_at,
            )
            .await?;
        }
        None => crate::federation::activities::like::send(node, &mut tx, &coop, &like).await?,
    }
    tx.commit().await?;
    node.deliveries_queued.notify_one();
    Ok(like.like_id)
}

/// Co-op `handle` stops liking the post at `url`: the Undo of its Like goes to the author
/// (a story here is uncounted at once). False when it did not like it.
pub async fn unlike_post(node: &Node, handle: &str, url: &str) -> Result<bool, AppError> {
    let coop = crate::content::coops::find(node, handle).await?;
    let mut conn = node.db.acquire().await?;
    let mut like = db::sent_likes::find(&mut conn, coop.row.id, url.trim()).await?;
    drop(conn);
    if like.is_none() {
        // Named by another of its addresses (its page rather than its id): look it up.
        let (post, _) = crate::content::conversations::post_and_author(node, url, "url").await?;
        let mut conn = node.db.acquire().await?;
        like = db::sent_likes::find(&mut conn, coop.row.id, post.as_str()).await?;
    }
    let Some(like) = like else {
        return Ok(false);
    };
    let mut tx = crate::db::begin(&node.db).await?;
    db::sent_likes::remove(&mut tx, &like.like_id).await?;
    let actor = crate::federation::urls::coop(&node.base, &coop.row.handle);
    if !db::story_likes::remove(&mut tx, &like.like_id, actor.as_str()).await? {
        crate::federation::activities::like::send_undo(node, &mut tx, &coop, &like).await?;
    }
    tx.commit().await?;
    node.deliveries_queued.notify_one();
    Ok(true)
}

/// Which of `post_ids` co-op `coop_id` likes.
pub async fn liked_among(
    node: &Node,
    coop_id: i64,
    post_ids: &[String],
) -> Result<Vec<String>, AppError> {
    let mut conn = node.db.acquire().await?;
    Ok(db::sent_likes::liked_among(&mut conn, coop_id, post_ids).await?)
}
