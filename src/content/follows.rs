//! Whom a co-op follows: `follow` sends a Follow (by handle or URL) and tracks the
//! Accept or Reject; `unfollow` sends the Undo. Posts from followed actors are kept.

use url::Url;

use crate::app::Node;
use crate::content::coops;
use crate::db::follows::FollowRow;
use crate::db::remote_posts::RemotePostRow;
use crate::federation::fetch::FetchBudget;
use crate::federation::objects::remote_actor;
use crate::{AppError, db, federation, now_ms};

/// Turns `@name@host`, `name@host` or an actor URL into an actor URL (WebFinger for handles).
pub async fn resolve_target(
    node: &Node,
    target: &str,
    budget: &FetchBudget,
) -> Result<Url, AppError> {
    let target = target.trim();
    if target.starts_with("http://") || target.starts_with("https://") {
        return Url::parse(target)
            .map_err(|_| AppError::Invalid(format!("target: '{target}' is not a valid URL")));
    }
    let acct = target.trim_start_matches('@');
    if !acct.contains('@') {
        return Err(AppError::Invalid(format!(
            "target: '{target}' is neither @name@host nor a URL"
        )));
    }
    federation::webfinger::lookup(node, acct, budget)
        .await
        .map_err(|e| not_found(target, e))
}

/// A target its server says does not exist (404 or 410) is not found here (404), rather
/// than a failure of that server (502).
fn not_found(target: &str, e: AppError) -> AppError {
    match e {
        AppError::RemoteGone { .. } => {
            AppError::NotFound(format!("target: no account '{target}' was found"))
        }
        other => other,
    }
}

/// Sends a Follow from co-op `handle` to `target`; the follow stays pending until Accepted.
pub async fn follow(node: &Node, handle: &str, target: &str) -> Result<FollowRow, AppError> {
    let coop = coops::find(node, handle).await?;
    let budget = FetchBudget::new();
    let target_url = resolve_target(node, target, &budget).await?;
    crate::moderation::refuse_follow(node, coop.row.id, &target_url).await?;
    if node.is_local(&target_url)
        && federation::urls::coop_handle_of(&node.base, &target_url).as_deref() == Some(handle)
    {
        return Err(AppError::Invalid(
            "target: a co-op cannot follow itself".into(),
        ));
    }
    let actor = remote_actor::resolve(node, &target_url, &budget)
        .await
        .map_err(|e| not_found(target, e))?;
    let mut tx = crate::db::begin(&node.db).await?;
    let follow_id = federation::activities::follow::send(node, &mut tx, &coop, &actor).await?;
    db::follows::upsert_pending(
        &mut tx,
        coop.row.id,
        &actor.id,
        follow_id.as_str(),
        now_ms(),
    )
    .await?;
    let row = db::follows::by_follow_id(&mut tx, follow_id.as_str())
        .await?
        .ok_or_else(|| AppError::Internal("follow vanished while being sent".into()))?;
    tx.commit().await?;
    node.deliveries_queued.notify_one();
    Ok(row)
}

/// Sends an Undo of co-op `handle`'s follow of `target` and forgets the follow.
pub async fn unfollow(node: &Node, handle: &str, target: &str) -> Result<FollowRow, AppError> {
    let coop = coops::find(node, handle).await?;
    let budget = FetchBudget::new();
    let target_url = resolve_target(node, target, &budget).await?;
    let mut conn = node.db.acquire().await?;
    let follow = db::follows::find(&mut conn, coop.row.id, target_url.as_str())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("'{handle}' does not follow {target}")))?;
    drop(conn);
    let actor = remote_actor::resolve(node, &target_url, &budget).await?;
    let mut tx = crate::db::begin(&node.db).await?;
    federation::activities::undo::send_follow(node, &mut tx, &coop, &actor, &follow.follow_id)
        .await?;
    db::follows::remove(&mut tx, follow.id).await?;
    tx.commit().await?;
    node.deliveries_queued.notify_one();
    Ok(follow)
}

/// Marks our Follow `follow_id` accepted (or rejected) by `actor_id`, who must be its
/// target; returns the follow as it now stands, or None when it is not ours.
pub async fn answered(
    node: &Node,
    follow_id: &str,
    actor_id: &str,
    accepted: bool,
) -> Result<Option<FollowRow>, AppError> {
    let mut conn = node.db.acquire().await?;
    let Some(follow) = db::follows::by_follow_id(&mut conn, follow_id).await? else {
        return Ok(None);
    };
    if follow.target_id != actor_id {
        return Err(AppError::Forbidden(format!(
            "{actor_id} cannot answer a Follow of {}",
            follow.target_id
        )));
    }
    let state = if accepted { "accepted" } else { "rejected" };
    db::follows::set_state(&mut conn, follow.id, state).await?;
    Ok(Some(FollowRow {
        state: state.to_string(),
        ..follow
    }))
}

/// A co-op's follows.
pub async fn list(node: &Node, handle: &str) -> Result<Vec<FollowRow>, AppError> {
    let coop = coops::find(node, handle).await?;
    let mut conn = node.db.acquire().await?;
    Ok(db::follows::list(&mut conn, coop.row.id).await?)
}

/// A follow as its co-op's admins see it.
#[derive(Debug, Clone)]
pub struct Followed {
    pub follow: FollowRow,
    /// The target's display name, when known.
    pub name: Option<String>,
    /// `@name@host`, when the target's username is known.
    pub handle: Option<String>,
}

/// A page of a co-op's follows (newest first) with their targets' names and handles, as far
/// as this node knows them (the remote-actor cache, or the co-op itself when it is on this
/// node): nothing is fetched.
pub async fn list_named(
    node: &Node,
    handle: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<Followed>, AppError> {
    let coop = coops::find(node, handle).await?;
    let mut conn = node.db.acquire().await?;
    let rows = db::follows::list_named(&mut conn, coop.row.id, limit, offset).await?;
    drop(conn);
    let mut list = Vec::with_capacity(rows.len());
    for row in rows {
        let target = Url::parse(&row.follow.target_id).ok();
        let local = match &target {
            Some(url) if node.is_local(url) => {
                match federation::urls::coop_handle_of(&node.base, url) {
                    Some(h) => coops::find_to_name(node, &h).await?,
                    None => None,
                }
            }
            _ => None,
        };
        let (name, username) = match local {
            Some(c) => (Some(c.profile.name), Some(c.row.handle)),
            None => (row.name, row.preferred_username),
        };
        let handle = username
            .zip(target)
            .map(|(u, url)| format!("@{u}@{}", crate::config::authority(&url)));
        list.push(Followed {
            follow: row.follow,
            name,
            handle,
        });
    }
    Ok(list)
}

/// Keeps (or replaces) a post from an actor some co-op here follows; others are ignored.
/// A post id already kept from another author is refused.
pub async fn store_post(node: &Node, post: &RemotePostRow) -> Result<bool, AppError> {
    let mut conn = node.db.acquire().await?;
    if db::remote_posts::upsert_if_followed(&mut conn, post).await? {
        return Ok(true);
    }
    if !db::follows::anyone_follows(&mut conn, &post.actor_id).await? {
        return Ok(false);
    }
    match db::remote_posts::by_id(&mut conn, &post.id).await? {
        Some(existing) if existing.actor_id != post.actor_id => Err(AppError::Forbidden(format!(
            "{} is not the author of {}",
            post.actor_id, post.id
        ))),
        // Followed and not another author's, yet not stored: a race with an unfollow.
        _ => Ok(false),
    }
}

/// The posts kept from one actor, newest first.
pub async fn posts_of(
    node: &Node,
    actor_id: &str,
    limit: i64,
) -> Result<Vec<RemotePostRow>, AppError> {
    let mut conn = node.db.acquire().await?;
    Ok(db::remote_posts::by_actor(&mut conn, actor_id, limit).await?)
}
