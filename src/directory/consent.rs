//! Joining and leaving, with consent. A co-op is listed only once it has Accepted the
//! directory's Follow and its actor is discoverable without `#nobot`/`#nodirectory`.
//! Leaving (Undo, Reject, Delete, discoverable off, 410, two 404s) delists at once.

use rand::Rng;
use serde_json::Value;
use url::Url;

use super::{actor, profile};
use crate::app::Node;
use crate::content::follows;
use crate::db::follows::FollowRow;
use crate::federation::fetch::FetchBudget;
use crate::{AppError, db, now_ms};

/// How often a listed actor is re-fetched, and the jitter around it.
const REFRESH_MS: i64 = 24 * 60 * 60 * 1000;
const JITTER_MS: i64 = 2 * 60 * 60 * 1000;

/// When a listing should next be refreshed: in 24 h, give or take two hours.
pub fn next_refresh(now: i64) -> i64 {
    now + REFRESH_MS + rand::rng().random_range(-JITTER_MS..=JITTER_MS)
}

/// Invites an actor (`@name@host` or URL): the directory sends it a Follow.
pub async fn invite(node: &Node, target: &str) -> Result<FollowRow, AppError> {
    actor::find(node).await?;
    let follow = follows::follow(node, actor::HANDLE, target).await?;
    let mut conn = node.db.acquire().await?;
    db::listings::invite(&mut conn, &follow.target_id, &follow.follow_id).await?;
    db::listings::drop_suggestion(&mut conn, &follow.target_id).await?;
    Ok(follow)
}

/// Removes an actor from the directory at the organiser's request: delists it and
/// withdraws the directory's Follow.
pub async fn remove(node: &Node, target: &str) -> Result<String, AppError> {
    actor::find(node).await?;
    let budget = FetchBudget::new();
    let url = follows::resolve_target(node, target, &budget).await?;
    left(node, url.as_str(), "removed by the organiser").await?;
    Ok(url.to_string())
}

/// The directory's Follow of this actor, if it stands accepted.
async fn accepted_follow(node: &Node, actor_id: &str) -> Result<Option<FollowRow>, AppError> {
    let directory = actor::find(node).await?;
    let mut conn = node.db.acquire().await?;
    Ok(db::follows::find(&mut conn, directory.row.id, actor_id)
        .await?
        .filter(|f| f.state == "accepted"))
}

/// Lists (or delists) an actor from its current document. Nothing happens unless the
/// directory's Follow of it stands accepted: consent is the Accept.
pub async fn apply_document(node: &Node, actor_id: &Url, doc: &Value) -> Result<String, AppError> {
    let Some(follow) = accepted_follow(node, actor_id.as_str()).await? else {
        return Ok("not-following".into());
    };
    let read = profile::read(doc, actor_id);
    // One transaction: readers never see a listing without its sectors and search document.
    let mut tx = crate::db::begin(&node.db).await?;
    if !read.consents {
        db::listings::delist(
            &mut tx,
            actor_id.as_str(),
            "not discoverable, or opted out in its bio",
        )
        .await?;
        tx.commit().await?;
        return Ok("delisted".into());
    }
    let existing = db::listings::find(&mut tx, actor_id.as_str()).await?;
    let now = now_ms();
    let mut row = read.row;
    row.state = "listed".into();
    row.follow_id = Some(follow.follow_id);
    row.boost_excluded = existing.as_ref().map_or(0, |e| e.boost_excluded);
    row.last_active_at = existing.as_ref().and_then(|e| e.last_active_at);
    row.listed_at = Some(now);
    row.last_seen_at = Some(now);
    row.next_refresh_at = next_refresh(now);
    db::listings::save_profile(&mut tx, &row, &read.sectors).await?;
    tx.commit().await?;
    Ok("listed".into())
}

/// Fetches an actor afresh (signed by the instance actor) and applies its document.
pub async fn refresh(
    node: &Node,
    actor_id: &Url,
    budget: &FetchBudget,
) -> Result<String, AppError> {
    let doc = node.fetcher.fetch_object(actor_id, budget).await?;
    apply_document(node, actor_id, &doc).await
}

/// An answer to one of the directory's Follows arrived: list on Accept, delist on Reject.
pub async fn follow_answered(
    node: &Node,
    follow: &FollowRow,
    accepted: bool,
    budget: &FetchBudget,
) -> Result<(), AppError> {
    let actor_id = Url::parse(&follow.target_id).map_err(|e| AppError::Internal(e.to_string()))?;
    if accepted {
        refresh(node, &actor_id, budget).await?;
    } else {
        let mut tx = crate::db::begin(&node.db).await?;
        db::listings::delist(
            &mut tx,
            actor_id.as_str(),
            "rejected the directory's follow",
        )
        .await?;
        tx.commit().await?;
    }
    Ok(())
}

/// Someone followed the directory actor: the directory follows back (an invitation).
pub async fn follow_back(node: &Node, actor_id: &str) -> Result<(), AppError> {
    let directory = actor::find(node).await?;
    let mut conn = node.db.acquire().await?;
    if db::follows::find(&mut conn, directory.row.id, actor_id)
        .await?
        .is_some()
    {
        return Ok(());
    }
    drop(conn);
    invite(node, actor_id).await?;
    Ok(())
}

/// An actor left (or was removed): delist it at once and withdraw the directory's Follow.
pub async fn left(node: &Node, actor_id: &str, reason: &str) -> Result<(), AppError> {
    let directory = actor::find(node).await?;
    let mut tx = crate::db::begin(&node.db).await?;
    db::listings::delist(&mut tx, actor_id, reason).await?;
    let follow = db::follows::find(&mut tx, directory.row.id, actor_id).await?;
    tx.commit().await?;
    if follow.is_some() {
        // Best effort: an actor that is gone cannot be told.
        if let Err(e) = follows::unfollow(node, actor::HANDLE, actor_id).await {
            tracing::info!(%actor_id, error = %e, "could not withdraw the directory's follow; forgetting it");
            let mut conn = node.db.acquire().await?;
            if let Some(f) = db::follows::find(&mut conn, directory.row.id, actor_id).await? {
                db::follows::remove(&mut conn, f.id).await?;
            }
        }
    }
    Ok(())
}

/// The actor deleted itself: delist it at once (its follows are forgotten by `content`).
pub async fn actor_deleted(node: &Node, actor_id: &str) -> Result<(), AppError> {
    if !node.config.directory.enabled() {
        return Ok(());
    }
    let mut tx = crate::db::begin(&node.db).await?;
    db::listings::delist(&mut tx, actor_id, "the actor was deleted").await?;
    tx.commit().await?;
    Ok(())
}
