//! HTML pages for people, the directory's pages, its JSON API and open-data exports.
//! Pages that share a URL with an ActivityPub document (co-ops, stories) are reached
//! through federation's negotiating routes; the rest route here.

use axum::Router;
use axum::routing::get;

use crate::app::AppState;

pub mod accounts;
pub mod api;
pub mod card;
pub mod client;
pub mod conversation;
pub mod coop_page;
pub mod directory;
pub mod error_page;
pub mod exports;
pub mod feeds;
pub mod form_errors;
pub mod i18n;
pub mod pages;
pub mod paging;
pub mod story_page;
pub mod summaries;
pub mod ui;

/// The HTML-only routes, the directory's pages, API and exports.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(pages::http_get_home))
        .route("/tags/{tag}", get(pages::http_get_tag))
        .route("/media/{name}", get(pages::http_get_media))
        .route("/static/mutual.css", get(pages::http_get_stylesheet))
        .route("/static/copy.js", get(pages::http_get_copy_script))
        .route("/language", get(i18n::http_get_language))
        .route("/feed.atom", get(feeds::http_get_node_feed))
        .route("/coops/{handle}/feed.atom", get(feeds::http_get_coop_feed))
        .route("/directory/feed.atom", get(feeds::http_get_directory_feed))
        .route("/directory", get(directory::http_get_directory))
        .route(
            "/directory/browse",
            get(directory::http_get_directory_browse),
        )
        .route(
            "/directory/coops/{key}",
            get(directory::http_get_directory_coop),
        )
        .route("/directory/map", get(directory::http_get_directory_map))
        .route("/directory/stats", get(directory::http_get_directory_stats))
        .route(
            "/directory/stories",
            get(directory::http_get_directory_stories),
        )
        .merge(accounts::router())
        .merge(api::router())
        .merge(exports::router())
}
