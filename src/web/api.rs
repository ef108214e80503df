//! The directory's read-only JSON API (`/api/v1/directory/…`), documented in docs/api.md.
//! No authentication; every response (errors included) carries
//! `Access-Control-Allow-Origin: *`, and OPTIONS preflights are answered.

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use serde_json::{Value, json};

use crate::AppError;
use crate::app::AppState;
use crate::content::html;
use crate::content::vocab::display_name;
use crate::db::listings::ListingStoryRow;
use crate::directory::index::{self, Facets, Listing};
use crate::web::directory::{browse_query, ensure_directory, http_url, int_param, params, rfc3339};

/// How many stories the single co-op answer embeds.
const COOP_STORIES: i64 = 10;

/// The API routes, with CORS on every response.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/directory/coops",
            get(http_get_coops).options(preflight),
        )
        .route(
            "/api/v1/directory/coops/{key}",
            get(http_get_coop).options(preflight),
        )
        .route(
            "/api/v1/directory/stories",
            get(http_get_stories).options(preflight),
        )
        .route_layer(axum::middleware::map_response(allow_any_origin))
}

/// Adds `Access-Control-Allow-Origin: *` (the data is public; no credentials are used)
/// and `X-Content-Type-Options: nosniff` (data is never read as a page).
pub(crate) async fn allow_any_origin(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    res
}

/// Writes `<`, `>` and `&` in serialised JSON as `\u003c`, `\u003e` and `\u0026`. The
/// JSON means the same, but no text from a listing can close a `<script>` it is embedded
/// in, or look like markup to anything that sniffs. (Outside strings JSON has none of
/// these characters.)
pub(crate) fn escape_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// A JSON response, escaped with [`escape_json`].
pub(crate) struct SafeJson<T>(pub(crate) T);

impl<T: Serialize> IntoResponse for SafeJson<T> {
    fn into_response(self) -> Response {
        match serde_json::to_string(&self.0) {
            Ok(text) => (
                [(header::CONTENT_TYPE, "application/json")],
                escape_json(&text),
            )
                .into_response(),
            Err(e) => ApiError(AppError::Internal(format!("json: {e}"))).into_response(),
        }
    }
}

/// Answers a CORS preflight: GET from any origin, with whatever headers were asked for.
pub(crate) async fn preflight(State(node): State<AppState>, headers: HeaderMap) -> Response {
    if let Err(e) = ensure_directory(&node) {
        return ApiError(e).into_response();
    }
    let mut res = StatusCode::NO_CONTENT.into_response();
    let h = res.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, HEAD, OPTIONS"),
    );
    let asked = headers
        .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .cloned()
        .unwrap_or_else(|| HeaderValue::from_static("accept, content-type"));
    h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, asked);
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("86400"),
    );
    res
}

/// An error as JSON: `{"error": "…"}` with the error's status (server errors not shown).
pub(crate) struct ApiError(pub(crate) AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        let message = if status.is_server_error() && status != StatusCode::BAD_GATEWAY {
            tracing::error!(error = %self.0, "API request failed");
            "internal server error".to_string()
        } else {
            self.0.to_string()
        };
        let body = escape_json(&json!({ "error": message }).to_string());
        (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
    }
}

/// A listed co-op as the API shows it.
#[derive(Debug, Serialize)]
pub struct CoopJson {
    /// The actor URL.
    pub id: String,
    /// `@name@host`.
    pub handle: Option<String>,
    pub name: String,
    /// Sanitised HTML.
    pub summary: String,
    pub url: Option<String>,
    pub nation: Option<String>,
    pub region: Option<String>,
    pub sectors: Vec<String>,
    pub locality: Option<String>,
    pub membership_type: Option<String>,
    pub legal_form: Option<String>,
    pub registrar: Option<String>,
    pub registered_number: Option<String>,
    pub founded: Option<i64>,
    pub members: Option<i64>,
    pub website: Option<String>,
    pub listed_at: Option<String>,
    pub last_seen_at: Option<String>,
    pub last_active_at: Option<String>,
}

impl CoopJson {
    /// The API's view of a listing.
    pub fn from_listing(l: &Listing) -> CoopJson {
        let r = &l.row;
        CoopJson {
            id: r.actor_id.clone(),
            handle: l.handle(),
            name: r.name.clone(),
            summary: html::sanitize(&r.summary),
            url: http_url(r.url.as_deref()),
            nation: r.nation.clone(),
            region: r.region.clone(),
            sectors: l.sectors.clone(),
            locality: r.locality.clone(),
            membership_type: r.membership_type.clone(),
            legal_form: r.legal_form.clone(),
            registrar: r.registrar.clone(),
            registered_number: r.registered_number.clone(),
            founded: r.founded,
            members: r.members,
            website: http_url(r.website.as_deref()),
            listed_at: rfc3339(r.listed_at),
            last_seen_at: rfc3339(r.last_seen_at),
            last_active_at: rfc3339(r.last_active_at),
        }
    }
}

fn facet_json(counts: &[(String, i64)]) -> Value {
    counts
        .iter()
        .map(|(value, count)| json!({ "value": value, "label": display_name(value), "count": count }))
        .collect()
}

fn facets_json(f: &Facets) -> Value {
    json!({
        "nation": facet_json(&f.nations),
        "region": facet_json(&f.regions),
        "sector": facet_json(&f.sectors),
        "membership_type": facet_json(&f.membership_types),
        "legal_form": facet_json(&f.legal_forms),
    })
}

fn story_json(s: &ListingStoryRow) -> Value {
    json!({
        "id": s.id,
        "title": s.title,
        "content": html::sanitize(&s.content),
        "url": http_url(s.url.as_deref()),
        "kind": s.kind,
        "published_at": rfc3339(Some(s.published_at)),
    })
}

/// `GET /api/v1/directory/coops`: browse and search, with facets.
async fn http_get_coops(
    State(node): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<SafeJson<Value>, ApiError> {
    ensure_directory(&node)?;
    let q = browse_query(&params(raw.as_deref()))?;
    let page = index::browse(&node, &q).await?;
    let items: Vec<CoopJson> = page.items.iter().map(CoopJson::from_listing).collect();
    Ok(SafeJson(json!({
        "items": items,
        "total": page.total,
        "page": page.page,
        "per_page": page.per_page,
        "facets": facets_json(&page.facets),
    })))
}

/// `GET /api/v1/directory/coops/{handle}`: one listed co-op with its latest stories.
async fn http_get_coop(
    State(node): State<AppState>,
    Path(key): Path<String>,
) -> Result<SafeJson<Value>, ApiError> {
    ensure_directory(&node)?;
    let l = index::listing(&node, &key).await?;
    let stories = index::stories_of(&node, &l.row.actor_id, COOP_STORIES).await?;
    let mut body = serde_json::to_value(CoopJson::from_listing(&l))
        .map_err(|e| AppError::Internal(format!("json: {e}")))?;
    if let Value::Object(map) = &mut body {
        map.insert(
            "stories".into(),
            stories.iter().map(story_json).collect::<Value>(),
        );
    }
    Ok(SafeJson(body))
}

/// `GET /api/v1/directory/stories?kind=&page=&per_page=`: the movement's newest stories.
async fn http_get_stories(
    State(node): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<SafeJson<Value>, ApiError> {
    ensure_directory(&node)?;
    let params = params(raw.as_deref());
    let kind = params.get("kind").map(String::as_str);
    let page = int_param(&params, "page")?;
    let per_page = int_param(&params, "per_page")?;
    let filter = index::story_filter(kind, None, None)?;
    let (items, total) = index::latest_stories(&node, &filter, page, per_page).await?;
    let items: Vec<Value> = items
        .iter()
        .map(|(s, l)| {
            let mut v = story_json(s);
            if let Value::Object(map) = &mut v {
                map.insert(
                    "coop".into(),
                    json!({ "id": l.row.actor_id, "handle": l.handle(), "name": l.row.name }),
                );
            }
            v
        })
        .collect();
    Ok(SafeJson(json!({
        "items": items,
        "total": total,
        "page": index::page_number(page),
        "per_page": index::page_size(per_page),
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_json_means_the_same_without_markup_characters() {
        let value = json!({ "name": "<script>alert(1)</script> & co\u{2028}" });
        let text = escape_json(&value.to_string());
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), value);
    }
}
