//! Content negotiation: ActivityPub JSON for software, HTML for people.

use axum::http::HeaderMap;
use axum::http::header::{ACCEPT, CONTENT_TYPE, HeaderValue, VARY};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

/// The media type of everything served as ActivityPub.
pub const ACTIVITY_JSON: &str = "application/activity+json";

/// Whether the client asked for ActivityPub JSON (activity+json, or ld+json with any profile).
pub fn wants_activity_json(headers: &HeaderMap) -> bool {
    headers
        .get_all(ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|part| {
            part.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .any(|mime| mime == ACTIVITY_JSON || mime == "application/ld+json")
}

/// A JSON document served as `application/activity+json`, with `Vary: Accept`.
pub fn activity_json(body: &Value) -> Response {
    let mut response = axum::Json(body).into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(ACTIVITY_JSON));
    response
        .headers_mut()
        .insert(VARY, HeaderValue::from_static("Accept"));
    response
}

/// Adds `Vary: Accept` to a response whose content depends on negotiation.
pub fn vary(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(VARY, HeaderValue::from_static("Accept"));
    response
}
