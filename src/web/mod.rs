//! HTML pages for people. Pages that share a URL with an ActivityPub document (co-ops,
//! stories) are reached through federation's negotiating routes; the rest route here.

use axum::Router;
use axum::routing::get;

use crate::app::AppState;

pub mod pages;

/// The HTML-only routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(pages::http_get_home))
        .route("/tags/{tag}", get(pages::http_get_tag))
}
