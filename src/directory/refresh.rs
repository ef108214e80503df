//! The periodic refresh: every listed actor is re-fetched about every 24 h (with jitter),
//! signed by the instance actor, with at most two requests in flight per host. A 410
//! delists at once; so do two 404s in a row. Refreshes also gather suggestions from the
//! `following` collections of listed co-ops.

use std::collections::HashSet;
use std::time::Duration;

use serde_json::Value;
use tokio::sync::{Mutex, watch};
use url::Url;

use super::consent;
use crate::app::{AppState, Node};
use crate::federation::fetch::FetchBudget;
use crate::federation::host_limits::for_each_by_host;
use crate::{AppError, db, now_ms};

/// Requests in flight to one host, at most.
pub const PER_HOST: usize = 2;
/// Refreshes in flight overall, at most.
pub const IN_FLIGHT: usize = 32;
/// How many due listings one pass takes.
const BATCH: i64 = 500;
/// How long to wait before trying again after a failure that says nothing about consent.
const RETRY_MS: i64 = 60 * 60 * 1000;
/// How often the worker looks for due listings.
const TICK: Duration = Duration::from_secs(30);

/// Runs refresh passes until `stop` turns true.
pub async fn run(node: AppState, mut stop: watch::Receiver<bool>) {
    loop {
        if *stop.borrow() {
            break;
        }
        match run_once(&node).await {
            Ok(n) if n > 0 => tracing::info!(refreshed = n, "directory refresh pass"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "directory refresh pass failed"),
        }
        let stopped = tokio::select! {
            _ = tokio::time::sleep(TICK) => false,
            // Err: the sender is gone (the server ended), which also means stop.
            changed = stop.changed() => changed.is_err(),
        };
        if stopped {
            break;
        }
    }
}

/// What one refresh found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Listed,
    Delisted,
    Missing,
    Failed,
}

/// Refreshes every due listing once; returns how many were refreshed.
///
/// Each refresh waits for its host's permit (2 per host) *before* it takes one of the 32
/// overall slots, so actors queued behind a busy host never hold slots that other hosts
/// could use (many co-ops on one big instance, all due at once). A host's NodeInfo is read
/// once per pass, not once per actor.
pub async fn run_once(node: &Node) -> Result<usize, AppError> {
    let due = {
        let mut conn = node.db.acquire().await?;
        db::listings::due_for_refresh(&mut conn, now_ms(), BATCH).await?
    };
    let pass = Pass::default();
    let count = due.len();
    for_each_by_host(due, PER_HOST, IN_FLIGHT, |url| {
        let pass = &pass;
        async move {
            if let Err(e) = refresh_in(node, &url, pass).await {
                tracing::warn!(actor_id = %url, error = %e, "cannot record a refresh");
            }
        }
    })
    .await;
    Ok(count)
}

/// What one pass remembers across its refreshes.
#[derive(Default)]
struct Pass {
    /// Origins whose NodeInfo was already read in this pass.
    nodeinfo_read: Mutex<HashSet<String>>,
}

/// Refreshes one listed actor and records what happened.
pub async fn refresh_one(node: &Node, actor_id: &Url) -> Result<Outcome, AppError> {
    refresh_in(node, actor_id, &Pass::default()).await
}

async fn refresh_in(node: &Node, actor_id: &Url, pass: &Pass) -> Result<Outcome, AppError> {
    let budget = FetchBudget::new();
    let now = now_ms();
    let doc = match node.fetcher.fetch_object(actor_id, &budget).await {
        Ok(doc) => doc,
        Err(AppError::RemoteGone { status: 410, .. }) => {
            consent::left(node, actor_id.as_str(), "gone (410)").await?;
            return Ok(Outcome::Delisted);
        }
        Err(AppError::RemoteGone { status: 404, .. }) => {
            let mut conn = node.db.acquire().await?;
            let missing =
                db::listings::count_missing(&mut conn, actor_id.as_str(), now + RETRY_MS).await?;
            drop(conn);
            if missing >= 2 {
                consent::left(node, actor_id.as_str(), "not found (404) twice in a row").await?;
                return Ok(Outcome::Delisted);
            }
            return Ok(Outcome::Missing);
        }
        Err(e) => {
            tracing::info!(%actor_id, error = %e, "refresh failed; trying again later");
            let mut conn = node.db.acquire().await?;
            db::listings::postpone_refresh(
                &mut conn,
                actor_id.as_str(),
                now + RETRY_MS,
                &e.to_string(),
            )
            .await?;
            return Ok(Outcome::Failed);
        }
    };
    let state = consent::apply_document(node, actor_id, &doc).await?;
    if state == "listed" {
        suggest_from_following(node, &doc, &budget).await;
        let first_of_origin = pass
            .nodeinfo_read
            .lock()
            .await
            .insert(actor_id.origin().ascii_serialization());
        if first_of_origin {
            suggest_from_nodeinfo(node, actor_id, &budget).await;
        }
        Ok(Outcome::Listed)
    } else {
        Ok(Outcome::Delisted)
    }
}

/// Suggests the actors a listed co-op follows (first page only; never followed automatically).
async fn suggest_from_following(node: &Node, actor: &Value, budget: &FetchBudget) {
    let Some(following) = actor
        .get("following")
        .and_then(Value::as_str)
        .and_then(|u| Url::parse(u).ok())
    else {
        return;
    };
    let Ok(collection) = node.fetcher.fetch_object(&following, budget).await else {
        return;
    };
    let page = match collection.get("first") {
        Some(Value::String(url)) => match Url::parse(url) {
            Ok(url) => node
                .fetcher
                .fetch_object(&url, budget)
                .await
                .unwrap_or(Value::Null),
            Err(_) => Value::Null,
        },
        Some(first @ Value::Object(_)) => first.clone(),
        _ => collection,
    };
    let items = page
        .get("orderedItems")
        .or_else(|| page.get("items"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let Ok(mut conn) = node.db.acquire().await else {
        return;
    };
    for item in items.iter().take(200) {
        let Some(id) = crate::federation::activities::id_of(Some(item)) else {
            continue;
        };
        if node.is_local(&id)
            && crate::federation::urls::coop_handle_of(&node.base, &id).as_deref()
                == Some(super::actor::HANDLE)
        {
            continue;
        }
        let _ = db::listings::suggest(
            &mut conn,
            id.as_str(),
            &format!("followed by {}", actor["id"].as_str().unwrap_or("")),
            now_ms(),
        )
        .await;
    }
}

/// Suggests the co-ops a `mutual` node names in its NodeInfo metadata.
async fn suggest_from_nodeinfo(node: &Node, actor_id: &Url, budget: &FetchBudget) {
    let Ok(index_url) = actor_id.join("/.well-known/nodeinfo") else {
        return;
    };
    let Ok(index) = node.fetcher.fetch_plain_json(&index_url, budget).await else {
        return;
    };
    let Some(href) = index["links"]
        .as_array()
        .and_then(|links| links.iter().find_map(|l| l["href"].as_str()))
        .and_then(|h| Url::parse(h).ok())
        .filter(|h| crate::federation::origin::same_origin(h, actor_id))
    else {
        return;
    };
    let Ok(info) = node.fetcher.fetch_plain_json(&href, budget).await else {
        return;
    };
    let Some(coops) = info["metadata"]["coops"].as_array() else {
        return;
    };
    let Ok(mut conn) = node.db.acquire().await else {
        return;
    };
    for coop in coops.iter().filter_map(Value::as_str).take(500) {
        let Ok(url) = Url::parse(coop) else { continue };
        if crate::federation::origin::same_origin(&url, actor_id) {
            let source = format!(
                "named in the NodeInfo of {}",
                crate::config::authority(actor_id)
            );
            let _ = db::listings::suggest(&mut conn, url.as_str(), &source, now_ms()).await;
        }
    }
}
