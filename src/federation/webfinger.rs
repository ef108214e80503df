//! WebFinger: answering `acct:` (and actor-URL) look-ups, and looking up remote handles.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::header::{CONTENT_TYPE, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use url::Url;

use super::fetch::FetchBudget;
use super::urls;
use crate::AppError;
use crate::app::{AppState, Node};
use crate::content::coops;

/// The query of a WebFinger request.
#[derive(Deserialize)]
pub struct WebfingerQuery {
    resource: Option<String>,
}

/// `GET /.well-known/webfinger?resource=acct:NAME@HOST` (or the actor URL).
pub async fn http_get_webfinger(
    State(node): State<AppState>,
    Query(q): Query<WebfingerQuery>,
) -> Result<Response, AppError> {
    let resource = q
        .resource
        .ok_or_else(|| AppError::BadRequest("resource: required".into()))?;
    let handle = handle_of(&node, &resource)?;
    let coop = coops::find(&node, &handle).await?;
    let actor = urls::coop(&node.base, &coop.row.handle);
    let body = json!({
        "subject": format!("acct:{}@{}", coop.row.handle, node.domain()),
        "aliases": [actor],
        "links": [
            { "rel": "self", "type": "application/activity+json", "href": actor },
            { "rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": actor },
        ],
    });
    let mut response = Json(body).into_response();
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/jrd+json"),
    );
    Ok(response)
}

/// The handle a resource names, if it is on this node.
fn handle_of(node: &Node, resource: &str) -> Result<String, AppError> {
    if let Some(acct) = resource.strip_prefix("acct:") {
        let acct = acct.trim_start_matches('@');
        let (name, domain) = acct.rsplit_once('@').ok_or_else(|| {
            AppError::BadRequest(format!("resource: '{resource}' is not acct:name@host"))
        })?;
        if !domain.eq_ignore_ascii_case(&node.domain()) {
            return Err(AppError::NotFound(format!("{domain} is not this node")));
        }
        return Ok(name.to_ascii_lowercase());
    }
    let url = Url::parse(resource).map_err(|_| {
        AppError::BadRequest(format!("resource: '{resource}' is neither acct: nor a URL"))
    })?;
    urls::coop_handle_of(&node.base, &url)
        .ok_or_else(|| AppError::NotFound(format!("{resource} is not a co-op here")))
}

/// Looks up `name@host` and returns the actor URL from its `self` link.
pub async fn lookup(node: &Node, acct: &str, budget: &FetchBudget) -> Result<Url, AppError> {
    let (_, host) = acct
        .rsplit_once('@')
        .ok_or_else(|| AppError::Invalid(format!("'{acct}' is not name@host")))?;
    if host.is_empty() || host.contains('/') {
        return Err(AppError::Invalid(format!("'{acct}' is not name@host")));
    }
    let scheme = if node.fetcher.allows_private() {
        "http"
    } else {
        "https"
    };
    let mut url = Url::parse(&format!("{scheme}://{host}/.well-known/webfinger"))
        .map_err(|_| AppError::Invalid(format!("'{acct}' has an invalid host")))?;
    url.query_pairs_mut()
        .append_pair("resource", &format!("acct:{acct}"));
    let jrd = node.fetcher.fetch_plain_json(&url, budget).await?;
    let links = jrd
        .get("links")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    links
        .iter()
        .find(|l| {
            l.get("rel").and_then(Value::as_str) == Some("self")
                && l.get("type")
                    .and_then(Value::as_str)
                    .is_some_and(|t| t.contains("activity+json") || t.contains("ld+json"))
        })
        .and_then(|l| l.get("href").and_then(Value::as_str))
        .and_then(|h| Url::parse(h).ok())
        .ok_or_else(|| AppError::Remote(format!("WebFinger for {acct} has no ActivityPub link")))
}
