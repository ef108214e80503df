//! Remote actors: parsing fetched actor documents, the cache, and finding the actor that
//! owns a signing key. Co-ops on this node resolve locally, without HTTP.

use serde_json::Value;
use url::Url;

use crate::app::Node;
use crate::content::coops;
use crate::db::remote_actors::RemoteActorRow;
use crate::federation::fetch::FetchBudget;
use crate::federation::origin::same_origin;
use crate::federation::urls;
use crate::{AppError, db, now_ms};

/// How long a cached actor is trusted before it is fetched again (on use, or by the
/// daily sweep, `federation::actor_refresh`).
pub const FRESH_FOR_MS: i64 = 24 * 60 * 60 * 1000;

fn url_field(doc: &Value, key: &str) -> Option<Url> {
    doc.get(key)
        .and_then(Value::as_str)
        .and_then(|s| Url::parse(s).ok())
}

/// The public keys an actor document declares, as (key id, owner, PEM).
fn public_keys(doc: &Value) -> Vec<(String, Option<String>, String)> {
    let keys = match doc.get("publicKey") {
        Some(Value::Array(list)) => list.clone(),
        Some(one @ Value::Object(_)) => vec![one.clone()],
        _ => Vec::new(),
    };
    keys.iter()
        .filter_map(|k| {
            let id = k.get("id")?.as_str()?.to_string();
            let pem = k.get("publicKeyPem")?.as_str()?.to_string();
            let owner = k.get("owner").and_then(Value::as_str).map(str::to_string);
            Some((id, owner, pem))
        })
        .collect()
}

/// Reads an actor document into a cache row. The inboxes must share the actor's origin,
/// so nobody can point our deliveries at a third party. `key_id` picks the key when the
/// actor has several.
pub fn parse(doc: &Value, key_id: Option<&str>) -> Result<RemoteActorRow, AppError> {
    let bad = |why: &str| AppError::Remote(format!("not a usable actor: {why}"));
    let id = url_field(doc, "id").ok_or_else(|| bad("no id"))?;
    let kind = doc
        .get("type")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("no type"))?;
    let inbox = url_field(doc, "inbox").ok_or_else(|| bad("no inbox"))?;
    if !same_origin(&inbox, &id) {
        return Err(bad("inbox is on another origin"));
    }
    let shared_inbox = doc
        .get("endpoints")
        .and_then(|e| url_field(e, "sharedInbox"))
        .filter(|s| same_origin(s, &id));
    let keys = public_keys(doc);
    let key = match key_id {
        Some(wanted) => keys.iter().find(|(kid, _, _)| kid == wanted),
        None => keys.first(),
    };
    if let Some((_, Some(owner), _)) = key
        && owner != id.as_str()
    {
        return Err(bad("its key belongs to someone else"));
    }
    Ok(RemoteActorRow {
        id: id.to_string(),
        kind: kind.to_string(),
        preferred_username: doc
            .get("preferredUsername")
            .and_then(Value::as_str)
            .map(str::to_string),
        name: doc.get("name").and_then(Value::as_str).map(str::to_string),
        inbox: inbox.to_string(),
        shared_inbox: shared_inbox.map(|u| u.to_string()),
        key_id: key.map(|(kid, _, _)| kid.clone()),
        public_key_pem: key.map(|(_, _, pem)| pem.clone()),
        document: doc.to_string(),
        fetched_at: now_ms(),
    })
}

/// A co-op on this node, seen as an actor row (no HTTP, no cache).
async fn local(node: &Node, url: &Url) -> Result<Option<RemoteActorRow>, AppError> {
    let Some(handle) = urls::coop_handle_of(&node.base, url) else {
        return Ok(None);
    };
    let Some(coop) = coops::find_optional(node, &handle).await? else {
        return Ok(None);
    };
    let doc = super::coop::to_json(&node.base, &coop);
    parse(&doc, None).map(Some)
}

/// Finds an actor: local co-ops directly, remote ones from the cache when fresh, else fetched.
pub async fn resolve(
    node: &Node,
    id: &Url,
    budget: &FetchBudget,
) -> Result<RemoteActorRow, AppError> {
    if node.is_local(id) {
        return local(node, id)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("no local actor at {id}")));
    }
    let mut conn = node.db.acquire().await?;
    if let Some(row) = db::remote_actors::by_id(&mut conn, id.as_str()).await?
        && node.clock.now_ms() - row.fetched_at < FRESH_FOR_MS
    {
        return Ok(row);
    }
    drop(conn);
    fetch_and_store(node, id, budget).await
}

/// Fetches an actor and refreshes the cache.
pub async fn fetch_and_store(
    node: &Node,
    id: &Url,
    budget: &FetchBudget,
) -> Result<RemoteActorRow, AppError> {
    let doc = node.fetcher.fetch_object(id, budget).await?;
    let mut row = parse(&doc, None)?;
    if row.id != id.as_str() {
        return Err(AppError::Remote(format!("actor at {id} has id {}", row.id)));
    }
    row.fetched_at = node.clock.now_ms();
    let mut conn = node.db.acquire().await?;
    db::remote_actors::upsert(&mut conn, &row).await?;
    Ok(row)
}

/// Finds the actor owning a signing key. With `refresh`, the cache is bypassed (key
/// rotation). The key document may be the actor itself or a key naming its `owner`. When a
/// stale cached key's actor is gone (404 or 410: a deleted account), the cached key is still
/// used, so the account's own Delete can be verified; any other failure is an error.
pub async fn for_key(
    node: &Node,
    key_id: &Url,
    budget: &FetchBudget,
    refresh: bool,
) -> Result<RemoteActorRow, AppError> {
    if node.is_local(key_id) {
        return Err(AppError::Unauthorized(
            "signed with a key of this node's own".into(),
        ));
    }
    let cached = if refresh {
        None
    } else {
        let mut conn = node.db.acquire().await?;
        db::remote_actors::by_key_id(&mut conn, key_id.as_str()).await?
    };
    match cached {
        Some(row) if node.clock.now_ms() - row.fetched_at < FRESH_FOR_MS => Ok(row),
        Some(stale) => match fetch_key_owner(node, key_id, budget).await {
            Err(AppError::RemoteGone { .. }) => Ok(stale),
            other => other,
        },
        None => fetch_key_owner(node, key_id, budget).await,
    }
}

async fn fetch_key_owner(
    node: &Node,
    key_id: &Url,
    budget: &FetchBudget,
) -> Result<RemoteActorRow, AppError> {
    let doc = node.fetcher.fetch_object(key_id, budget).await?;
    let actor_doc = if doc.get("inbox").is_some() {
        doc
    } else {
        let owner = url_field(&doc, "owner")
            .ok_or_else(|| AppError::Remote(format!("key {key_id} has no owner")))?;
        if !same_origin(&owner, key_id) {
            return Err(AppError::Remote(format!(
                "key {key_id} is owned by another origin"
            )));
        }
        node.fetcher.fetch_object(&owner, budget).await?
    };
    let mut row = parse(&actor_doc, Some(key_id.as_str()))?;
    row.fetched_at = node.clock.now_ms();
    if row.key_id.as_deref() != Some(key_id.as_str()) {
        return Err(AppError::Remote(format!(
            "actor {} does not declare key {key_id}",
            row.id
        )));
    }
    let actor_id = Url::parse(&row.id).map_err(|e| AppError::Remote(e.to_string()))?;
    if !same_origin(&actor_id, key_id) {
        return Err(AppError::Remote(format!(
            "key {key_id} belongs to an actor on another origin"
        )));
    }
    let mut conn = node.db.acquire().await?;
    db::remote_actors::upsert(&mut conn, &row).await?;
    Ok(row)
}
