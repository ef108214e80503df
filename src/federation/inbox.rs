//! The inboxes (per co-op and shared). A POST is checked in this order: size (413),
//! signature, Digest and Date (401), JSON (400), the key's domain is not blocked (403),
//! the key's owner is the actor (401), blocks (403, `refusals`), origins (403); then each
//! activity id is handled at most once.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use serde_json::Value;
use url::Url;

use super::activities::{self, Incoming};
use super::fetch::FetchBudget;
use super::objects::remote_actor;
use super::signatures::{self, IncomingRequest};
use crate::app::{AppState, MAX_BODY_BYTES, Node};
use crate::content::coops;
use crate::{AppError, db, now_ms};

/// How far a signature's Date may be from now, either way.
pub fn signature_window() -> chrono::Duration {
    chrono::Duration::hours(1)
}

/// `POST /coops/{handle}/inbox`
pub async fn http_post_coop_inbox(
    State(node): State<AppState>,
    Path(handle): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, AppError> {
    coops::find(&node, &handle).await?;
    receive_http(&node, &method, &uri, &headers, &body).await
}

/// `POST /inbox` (the shared inbox)
pub async fn http_post_shared_inbox(
    State(node): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, AppError> {
    receive_http(&node, &method, &uri, &headers, &body).await
}

/// Verifies a signed POST and handles the activity in it.
pub async fn receive_http(
    node: &Node,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<StatusCode, AppError> {
    if body.len() > MAX_BODY_BYTES {
        return Err(AppError::TooLarge);
    }
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let target = node
        .base
        .join(path)
        .map_err(|_| AppError::BadRequest("bad request target".into()))?;
    let request = IncomingRequest {
        method,
        target_uri: &target,
        headers,
        body,
    };
    let signature = signatures::parse(&request, chrono::Utc::now(), signature_window())
        .map_err(|e| AppError::Unauthorized(format!("signature: {e}")))?;
    let activity: Value = serde_json::from_slice(body)
        .map_err(|e| AppError::BadRequest(format!("body is not JSON: {e}")))?;
    if !activity.is_object() {
        return Err(AppError::BadRequest("body is not a JSON object".into()));
    }
    super::refusals::refuse_blocked_key(node, signature.key_id()).await?;
    let budget = FetchBudget::new();
    let signer = verified_signer(node, &signature, &budget).await?;
    super::refusals::refuse_blocked(node, &signer, &activity).await?;
    // A signed activity from a host shows it is up: deliveries to it resume.
    if let Err(e) = crate::delivery::hosts::heard_from(node, &signer).await {
        tracing::warn!(error = %e, "cannot clear the host's delivery failures");
    }
    receive_once(node, &activity, &signer, &budget).await?;
    Ok(StatusCode::ACCEPTED)
}

/// Finds the key's owner and checks the signature, re-fetching the key once on failure
/// (the key may have been rotated since it was cached). Signed GETs in secure mode use it too.
pub(super) async fn verified_signer(
    node: &Node,
    signature: &signatures::ParsedSignature,
    budget: &FetchBudget,
) -> Result<Url, AppError> {
    let key_id = signature.key_id();
    let unauthorized =
        |e: AppError| AppError::Unauthorized(format!("cannot get signing key {key_id}: {e}"));
    let cached = remote_actor::for_key(node, key_id, budget, false)
        .await
        .map_err(unauthorized)?;
    let pem = cached.public_key_pem.clone().unwrap_or_default();
    if signature.verify(&pem).is_ok() {
        return Url::parse(&cached.id).map_err(|e| AppError::Unauthorized(e.to_string()));
    }
    let fresh = remote_actor::for_key(node, key_id, budget, true)
        .await
        .map_err(unauthorized)?;
    signature
        .verify(fresh.public_key_pem.as_deref().unwrap_or_default())
        .map_err(|e| AppError::Unauthorized(format!("signature: {e}")))?;
    Url::parse(&fresh.id).map_err(|e| AppError::Unauthorized(e.to_string()))
}

/// Handles an activity unless its id was handled before. A failed handling is forgotten,
/// so the sender's retry can succeed.
pub async fn receive_once(
    node: &Node,
    activity: &Value,
    signer: &Url,
    budget: &FetchBudget,
) -> Result<(), AppError> {
    let id = activity
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if id.is_empty() {
        return Err(AppError::BadRequest("activity has no id".into()));
    }
    {
        let mut conn = node.db.acquire().await?;
        if !db::received::first_time(&mut conn, &id, now_ms()).await? {
            tracing::debug!(%id, "activity already handled");
            return Ok(());
        }
    }
    let ctx = Incoming {
        node,
        signer,
        budget,
    };
    let result = activities::receive(&ctx, activity).await;
    if result.is_err() {
        let mut conn = node.db.acquire().await?;
        db::received::forget(&mut conn, &id).await?;
    }
    result
}

/// Hands an activity from a co-op on this node to a local inbox, without HTTP or signatures.
pub async fn receive_local(node: &Node, body: &str) -> Result<(), AppError> {
    let activity: Value = serde_json::from_str(body)
        .map_err(|e| AppError::Internal(format!("stored activity is not JSON: {e}")))?;
    let actor = activities::id_of(activity.get("actor"))
        .ok_or_else(|| AppError::Internal("stored activity has no actor".into()))?;
    if !node.is_local(&actor) {
        return Err(AppError::Internal(format!("{actor} is not local")));
    }
    super::refusals::refuse_blocked(node, &actor, &activity).await?;
    receive_once(node, &activity, &actor, &FetchBudget::new()).await
}
