//! A co-op's followers: follow requests arrive from the inbox; the co-op accepts them
//! automatically or, with manual approval, through `follower approve|reject`.

use crate::app::Node;
use crate::content::coops::{self, Coop};
use crate::db::followers::{FollowerRow, NewFollower};
use crate::db::remote_actors::RemoteActorRow;
use crate::{AppError, db, federation, now_ms};

/// Records a Follow of `coop` by `actor`. Accepts at once unless the co-op approves
/// followers by hand; returns the follower's state.
pub async fn receive_follow(
    node: &Node,
    coop: &Coop,
    actor: &RemoteActorRow,
    follow_id: &str,
) -> Result<String, AppError> {
    let wanted = if coop.profile.manual_approval {
        "pending"
    } else {
        "accepted"
    };
    let mut tx = crate::db::begin(&node.db).await?;
    let follower = NewFollower {
        coop_id: coop.row.id,
        actor_id: &actor.id,
        inbox: &actor.inbox,
        shared_inbox: actor.shared_inbox.as_deref(),
        follow_id,
        state: wanted,
    };
    let state = db::followers::upsert(&mut tx, &follower, now_ms()).await?;
    if state == "accepted" {
        federation::activities::accept::send(
            node,
            &mut tx,
            coop,
            &actor.id,
            &actor.inbox,
            follow_id,
        )
        .await?;
    }
    tx.commit().await?;
    node.deliveries_queued.notify_one();
    Ok(state)
}

async fn pending(
    node: &Node,
    handle: &str,
    actor_id: &str,
) -> Result<(Coop, FollowerRow), AppError> {
    let coop = coops::find(node, handle).await?;
    let mut conn = node.db.acquire().await?;
    let follower = db::followers::find(&mut conn, coop.row.id, actor_id)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(format!("{actor_id} has not asked to follow '{handle}'"))
        })?;
    Ok((coop, follower))
}

/// Approves a pending follower and sends the Accept.
pub async fn approve(node: &Node, handle: &str, actor_id: &str) -> Result<FollowerRow, AppError> {
    let (coop, follower) = pending(node, handle, actor_id).await?;
    if follower.state == "accepted" {
        return Err(AppError::Conflict(format!(
            "{actor_id} already follows '{handle}'"
        )));
    }
    let mut tx = crate::db::begin(&node.db).await?;
    db::followers::set_state(&mut tx, coop.row.id, actor_id, "accepted").await?;
    federation::activities::accept::send(
        node,
        &mut tx,
        &coop,
        actor_id,
        &follower.inbox,
        &follower.follow_id,
    )
    .await?;
    tx.commit().await?;
    node.deliveries_queued.notify_one();
    Ok(FollowerRow {
        state: "accepted".into(),
        ..follower
    })
}

/// Rejects a follower (pending or accepted): removes them and sends a Reject.
pub async fn reject(node: &Node, handle: &str, actor_id: &str) -> Result<FollowerRow, AppError> {
    let (coop, follower) = pending(node, handle, actor_id).await?;
    let mut tx = crate::db::begin(&node.db).await?;
    db::followers::remove(&mut tx, coop.row.id, actor_id).await?;
    federation::activities::reject::send(
        node,
        &mut tx,
        &coop,
        actor_id,
        &follower.inbox,
        &follower.follow_id,
    )
    .await?;
    tx.commit().await?;
    node.deliveries_queued.notify_one();
    Ok(follower)
}

/// Removes a follower after their Undo(Follow); returns whether they were following.
pub async fn remove(node: &Node, coop_id: i64, actor_id: &str) -> Result<bool, AppError> {
    let mut conn = node.db.acquire().await?;
    Ok(db::followers::remove(&mut conn, coop_id, actor_id).await?)
}

/// Forgets an actor that was deleted: as a follower of every co-op, its follows and its posts.
pub async fn actor_deleted(node: &Node, actor_id: &str) -> Result<u64, AppError> {
    let mut tx = crate::db::begin(&node.db).await?;
    let removed = db::followers::remove_actor_everywhere(&mut tx, actor_id).await?;
    db::follows::remove_target_everywhere(&mut tx, actor_id).await?;
    db::remote_posts::remove_by_actor(&mut tx, actor_id).await?;
    db::remote_actors::remove(&mut tx, actor_id).await?;
    tx.commit().await?;
    Ok(removed)
}

/// A co-op's followers, optionally in one state (`pending` or `accepted`).
pub async fn list(
    node: &Node,
    handle: &str,
    state: Option<&str>,
) -> Result<Vec<FollowerRow>, AppError> {
    if let Some(s) = state.filter(|s| !matches!(*s, "pending" | "accepted")) {
        return Err(AppError::Invalid(format!(
            "state: '{s}' is not one of pending, accepted"
        )));
    }
    let coop = coops::find(node, handle).await?;
    let mut conn = node.db.acquire().await?;
    Ok(db::followers::list(&mut conn, coop.row.id, state).await?)
}
