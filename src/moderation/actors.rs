//! A co-op's actor blocks: `mutual block actor add|remove|list --coop HANDLE TARGET` and
//! `/manage/HANDLE/blocks`. A blocked actor stops following the co-op, the co-op stops
//! following it, and its activities that concern only co-ops blocking it are refused.

use url::Url;

use crate::app::Node;
use crate::content::{coops, follows};
use crate::federation::fetch::FetchBudget;
use crate::federation::objects::remote_actor;
use crate::{AppError, db, now_ms};

/// A blocked actor, as listed.
#[derive(Debug, Clone)]
pub struct ActorBlock {
    pub actor_id: String,
    pub created_at: i64,
}

/// Blocks `target` (`@name@host` or an actor URL) for co-op `handle`, ending follows both
/// ways. Blocking the co-op itself is refused; blocking an actor twice is a conflict.
pub async fn block(node: &Node, handle: &str, target: &str) -> Result<Url, AppError> {
    let coop = coops::find(node, handle).await?;
    let budget = FetchBudget::new();
    let actor = follows::resolve_target(node, target, &budget).await?;
    if actor == crate::federation::urls::coop(&node.base, &coop.row.handle) {
        return Err(AppError::Invalid(
            "target: a co-op cannot block itself".into(),
        ));
    }
    // Cached first, so the Undo of a follow can reach the actor's inbox.
    if !node.is_local(&actor)
        && let Err(e) = remote_actor::resolve(node, &actor, &budget).await
    {
        tracing::info!(%actor, error = %e, "blocking an actor whose document cannot be fetched");
    }
    let mut tx = db::begin(&node.db).await?;
    if !db::blocks::add_actor(&mut tx, coop.row.id, actor.as_str(), now_ms()).await? {
        return Err(AppError::Conflict(format!(
            "target: '@{handle}' has already blocked {actor}"
        )));
    }
    super::purge::end_followings(node, &mut tx, actor.as_str(), Some(coop.row.id)).await?;
    super::purge::withdraw_follows(node, &mut tx, actor.as_str(), Some(coop.row.id)).await?;
    tx.commit().await?;
    node.deliveries_queued.notify_one();
    Ok(actor)
}

/// Lifts co-op `handle`'s block of `target`. Follows that ended stay ended.
pub async fn unblock(node: &Node, handle: &str, target: &str) -> Result<Url, AppError> {
    let coop = coops::find(node, handle).await?;
    let actor = follows::resolve_target(node, target, &FetchBudget::new()).await?;
    let mut conn = node.db.acquire().await?;
    if !db::blocks::remove_actor(&mut conn, coop.row.id, actor.as_str()).await? {
        return Err(AppError::NotFound(format!(
            "target: '@{handle}' has not blocked {actor}"
        )));
    }
    Ok(actor)
}

/// The actors co-op `handle` blocked, alphabetically.
pub async fn list(node: &Node, handle: &str) -> Result<Vec<ActorBlock>, AppError> {
    let coop = coops::find(node, handle).await?;
    let mut conn = node.db.acquire().await?;
    Ok(db::blocks::actors(&mut conn, coop.row.id)
        .await?
        .into_iter()
        .map(|(actor_id, created_at)| ActorBlock {
            actor_id,
            created_at,
        })
        .collect())
}

/// The handles of the co-ops here that blocked `actor` (usually none).
pub async fn blocking(node: &Node, actor: &Url) -> Result<Vec<String>, AppError> {
    let mut conn = node.db.acquire().await?;
    Ok(db::blocks::handles_blocking(&mut conn, actor.as_str()).await?)
}
