//! Secure mode (`MUTUAL_REQUIRE_SIGNED_FETCH=true`, Mastodon's "authorized fetch"): GETs
//! of ActivityPub documents must carry a valid HTTP signature (draft-cavage or RFC 9421,
//! checked as the inbox checks POSTs, without a digest) from an actor not on a blocked
//! domain. Unsigned gets 401, a blocked signer 403. A co-op's actor document is the
//! exception: unsigned, it is served reduced to what is needed to verify its signatures
//! (id, type, preferredUsername, inbox, outbox, publicKey). The instance actor, HTML
//! pages, WebFinger and NodeInfo are always open.

use std::convert::Infallible;

use axum::extract::FromRequestParts;
use axum::http::header::{HeaderValue, VARY};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use serde_json::{Map, Value};
use url::Url;

use super::fetch::FetchBudget;
use super::signatures::{self, IncomingRequest, SignatureError};
use super::{inbox, refusals, urls};
use crate::app::{AppState, Node};
use crate::db::coops::CoopRow;
use crate::{AppError, moderation};

/// The keys of the reduced actor document served to unsigned GETs in secure mode.
pub const REDUCED_ACTOR_KEYS: &[&str] = &[
    "@context",
    "id",
    "type",
    "preferredUsername",
    "inbox",
    "outbox",
    "publicKey",
];

/// Who is asking for a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// Secure mode is off: anyone may read.
    Open,
    /// A valid signature by this actor (not on a blocked domain).
    Signed(Url),
    /// Secure mode is on and the request carries no signature.
    Unsigned,
}

/// A GET of an ActivityPub document, as an extractor; the check runs when asked, so
/// handlers that also serve HTML check only on their JSON branch.
pub struct FetchRequest {
    method: Method,
    uri: Uri,
    headers: HeaderMap,
}

impl FromRequestParts<AppState> for FetchRequest {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Infallible> {
        Ok(FetchRequest {
            method: parts.method.clone(),
            uri: parts.uri.clone(),
            headers: parts.headers.clone(),
        })
    }
}

impl FetchRequest {
    /// The request headers (for content negotiation).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Who is asking: [`Access::Open`] when secure mode is off; otherwise the verified
    /// signer, or [`Access::Unsigned`]. A bad signature is 401, a blocked domain 403.
    pub async fn access(&self, node: &Node) -> Result<Access, AppError> {
        if !node.config.require_signed_fetch {
            return Ok(Access::Open);
        }
        let path = self.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
        let target = node
            .base
            .join(path)
            .map_err(|_| AppError::BadRequest("bad request target".into()))?;
        let request = IncomingRequest {
            method: &self.method,
            target_uri: &target,
            headers: &self.headers,
            body: &[],
        };
        let signature =
            match signatures::parse(&request, chrono::Utc::now(), inbox::signature_window()) {
                Err(SignatureError::Missing) => return Ok(Access::Unsigned),
                Err(e) => return Err(AppError::Unauthorized(format!("signature: {e}"))),
                Ok(signature) => signature,
            };
        refusals::refuse_blocked_key(node, signature.key_id()).await?;
        if signature.key_id() == &urls::instance_key(&node.base) {
            // This node's own fetcher (e.g. an object a remote activity points back at).
            signature
                .verify(node.instance.public_key_pem())
                .map_err(|e| AppError::Unauthorized(format!("signature: {e}")))?;
            return Ok(Access::Signed(urls::instance_actor(&node.base)));
        }
        let signer = inbox::verified_signer(node, &signature, &FetchBudget::new()).await?;
        if moderation::blocked(node, &signer).await? {
            return Err(AppError::Forbidden(format!(
                "{} is on a domain this node blocks",
                crate::config::authority(&signer)
            )));
        }
        Ok(Access::Signed(signer))
    }

    /// Requires a signed GET in secure mode (401 when unsigned); with `coop`, the signer
    /// must not be an actor that co-op blocked (403).
    pub async fn require(&self, node: &Node, coop: Option<&CoopRow>) -> Result<(), AppError> {
        match self.access(node).await? {
            Access::Open => Ok(()),
            Access::Unsigned => Err(unsigned()),
            Access::Signed(signer) => match coop {
                Some(coop) => refuse_blocked_by(node, coop, &signer).await,
                None => Ok(()),
            },
        }
    }
}

/// 401 for an unsigned GET in secure mode.
fn unsigned() -> AppError {
    AppError::Unauthorized(
        "this node requires signed fetches: sign the GET with an actor's key".into(),
    )
}

/// 403 when `coop` blocked the signer.
pub async fn refuse_blocked_by(node: &Node, coop: &CoopRow, signer: &Url) -> Result<(), AppError> {
    if moderation::actors::blocking(node, signer)
        .await?
        .contains(&coop.handle)
    {
        return Err(AppError::Forbidden(format!(
            "{signer} is blocked by @{}",
            coop.handle
        )));
    }
    Ok(())
}

/// The actor document cut to [`REDUCED_ACTOR_KEYS`], for unsigned GETs in secure mode.
pub fn reduced(actor: &Value) -> Value {
    let mut kept = Map::new();
    for key in REDUCED_ACTOR_KEYS {
        if let Some(value) = actor.get(*key) {
            kept.insert((*key).to_string(), value.clone());
        }
    }
    Value::Object(kept)
}

/// In secure mode an actor's document depends on the signature: say so to caches.
pub fn vary_on_signature(node: &Node, mut response: Response) -> Response {
    if node.config.require_signed_fetch {
        response
            .headers_mut()
            .insert(VARY, HeaderValue::from_static("Accept, Signature"));
    }
    response
}
