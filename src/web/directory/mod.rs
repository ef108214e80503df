//! The directory's plain HTML pages (no JavaScript): browse with search, facets, sorting
//! and pages; one page per listed co-op; research, news and stories across the movement.
//! Every route answers 404 unless this node runs the directory. Text is escaped by the
//! templates; stored HTML is sanitised once more before it is shown.

mod browse;
mod coop;
mod facets;
mod home;
mod map;
mod map_outlines;
mod stats;
mod stories;

use std::collections::HashMap;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::AppError;
use crate::app::Node;
use crate::content::html;
use crate::db::listings::ListingStoryRow;
use crate::directory::index::{BrowseQuery, Listing, Sort};
use crate::web::i18n::Lang;

pub use browse::http_get_directory_browse;
pub use coop::http_get_directory_coop;
pub use home::http_get_directory;
pub use map::http_get_directory_map;
pub use stats::http_get_directory_stats;
pub use stories::http_get_directory_stories;

// ---- Helpers shared with the JSON API and the exports. ----

/// 404 unless this node runs the directory.
pub(crate) fn ensure_directory(node: &Node) -> Result<(), AppError> {
    if node.config.directory.enabled() {
        Ok(())
    } else {
        Err(AppError::NotFound(
            "this node does not run a directory".into(),
        ))
    }
}

/// A query string's parameters; a repeated name keeps its last value.
pub(crate) fn params(raw: Option<&str>) -> HashMap<String, String> {
    url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn text_param(params: &HashMap<String, String>, name: &str) -> Option<String> {
    params
        .get(name)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// A whole-number parameter (0 when absent); anything else is a 422 naming it.
pub(crate) fn int_param(params: &HashMap<String, String>, name: &str) -> Result<i64, AppError> {
    match text_param(params, name) {
        None => Ok(0),
        Some(v) => v
            .parse::<i64>()
            .map_err(|_| AppError::Invalid(format!("{name}: '{v}' is not a whole number"))),
    }
}

/// The browse query of a query string (`q`, the five facets, `sort`, `page`, `per_page`).
pub(crate) fn browse_query(params: &HashMap<String, String>) -> Result<BrowseQuery, AppError> {
    let query = BrowseQuery {
        q: text_param(params, "q"),
        nation: text_param(params, "nation"),
        region: text_param(params, "region"),
        sector: text_param(params, "sector"),
        membership_type: text_param(params, "membership_type"),
        legal_form: text_param(params, "legal_form"),
        sort: Sort::parse(params.get("sort").map(String::as_str).unwrap_or(""))?,
        page: int_param(params, "page")?,
        per_page: int_param(params, "per_page")?,
    };
    query.filter()?;
    Ok(query)
}

/// `url` if it is an absolute http(s) URL, so that no stored value can become a
/// `javascript:` link.
pub(crate) fn http_url(url: Option<&str>) -> Option<String> {
    let parsed = url::Url::parse(url?.trim()).ok()?;
    matches!(parsed.scheme(), "http" | "https").then(|| parsed.to_string())
}

/// Milliseconds as RFC 3339 (UTC, seconds).
pub(crate) fn rfc3339(ms: Option<i64>) -> Option<String> {
    chrono::DateTime::<chrono::Utc>::from_timestamp_millis(ms?)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// Percent-encodes one path segment (keeping `@` and `:`, which handles use).
fn path_segment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~@:".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The directory page of a listing.
pub(crate) fn coop_path(l: &Listing) -> String {
    format!("/directory/coops/{}", path_segment(&l.key()))
}

/// The Murmurations profile of a listing.
pub(crate) fn murmurations_path(l: &Listing) -> String {
    format!("/directory/murmurations/{}.json", path_segment(&l.key()))
}

/// The place of a listing in words: "Hackney, London, England".
pub(crate) fn place_name(lang: Lang, l: &Listing) -> String {
    let r = &l.row;
    let mut parts: Vec<String> = Vec::new();
    parts.extend(r.locality.clone().filter(|s| !s.trim().is_empty()));
    parts.extend(r.region.as_deref().map(|v| lang.vocab(v).to_string()));
    parts.extend(r.nation.as_deref().map(|v| lang.vocab(v).to_string()));
    parts.join(", ")
}

fn render(status: StatusCode, t: &impl Template) -> Result<Response, AppError> {
    let body = t
        .render()
        .map_err(|e| AppError::Internal(format!("template: {e}")))?;
    Ok((status, Html(body)).into_response())
}

/// An error shown as an HTML page (the message escaped; server errors logged, not shown).
pub struct PageError(pub AppError);

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        PageError(e)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        if status.is_server_error() && status != StatusCode::BAD_GATEWAY {
            return self.0.into_response();
        }
        crate::web::error_page::render(status, &self.0.to_string(), false)
    }
}

// ---- Pieces the pages share. ----

/// A link in a list of choices.
struct Choice {
    label: String,
    count: Option<i64>,
    href: String,
    current: bool,
}

/// A story in a list.
struct StoryCard {
    /// Empty when the story has no title.
    title: String,
    url: Option<String>,
    kind: String,
    published: String,
    content_html: String,
    coop_name: String,
    coop_href: String,
}

fn story_card(s: &ListingStoryRow, l: &Listing) -> StoryCard {
    StoryCard {
        title: s.title.trim().to_string(),
        url: http_url(s.url.as_deref()).or_else(|| http_url(Some(&s.id))),
        kind: s.kind.clone(),
        published: rfc3339(Some(s.published_at)).unwrap_or_default(),
        content_html: html::sanitize(&s.content),
        coop_name: l.display_name(),
        coop_href: coop_path(l),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_links_survive() {
        assert_eq!(
            http_url(Some("https://example.org/x")).as_deref(),
            Some("https://example.org/x")
        );
        assert_eq!(http_url(Some("javascript:alert(1)")), None);
        assert_eq!(http_url(Some("data:text/html,hi")), None);
        assert_eq!(http_url(Some("/relative")), None);
    }

    #[test]
    fn handles_and_urls_make_safe_path_segments() {
        assert_eq!(path_segment("film@host:8080"), "film@host:8080");
        assert_eq!(
            path_segment("https://h/coops/x?a=<b>"),
            "https:%2F%2Fh%2Fcoops%2Fx%3Fa%3D%3Cb%3E"
        );
    }
}
