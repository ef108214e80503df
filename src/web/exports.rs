//! Open data: CSV and JSON exports of the listed co-ops (columns aligned to Co-operatives
//! UK's open data), and a Murmurations profile per co-op. Exports take the same filters
//! as browsing and stream the index in chunks, so memory stays flat however large it is.

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

use crate::AppError;
use crate::app::AppState;
use crate::content::html;
use crate::content::vocab::display_name;
use crate::directory::index::{self, BrowseQuery, Listing};
use crate::web::api::{ApiError, SafeJson, allow_any_origin, escape_json};
use crate::web::directory::{browse_query, coop_path, ensure_directory, http_url, params, rfc3339};

/// Listings fetched per database round trip while exporting.
const CHUNK: i64 = 500;

/// The export columns, in order.
pub const COLUMNS: &[&str] = &[
    "name",
    "registered_number",
    "legal_form",
    "membership_type",
    "sectors",
    "nation",
    "region",
    "locality",
    "founded",
    "members",
    "website",
    "actor_url",
    "listed_since",
];

/// The Murmurations schema our profiles follow.
pub const MURMURATIONS_SCHEMA: &str = "organizations_schema-v1.0.0";

/// The export and Murmurations routes (CORS open: they are public data).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/directory/export/coops.csv", get(http_get_csv))
        .route("/directory/export/coops.json", get(http_get_json))
        .route("/directory/murmurations/{file}", get(http_get_murmurations))
        .route_layer(axum::middleware::map_response(allow_any_origin))
}

/// Quotes a CSV field (RFC 4180) when it needs it. Text that a spreadsheet would run as a
/// formula (starting with `=`, `+`, `-`, `@`, tab or carriage return) gets a leading `'`.
pub fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) || value.starts_with(' ') || value.ends_with(' ') {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

fn text(v: &Option<String>) -> String {
    v.as_deref().map(csv_field).unwrap_or_default()
}

fn number(v: Option<i64>) -> String {
    v.map(|n| n.to_string()).unwrap_or_default()
}

/// One CSV record (ending in CRLF).
fn csv_row(l: &Listing) -> String {
    let r = &l.row;
    let cells = [
        csv_field(&r.name),
        text(&r.registered_number),
        text(&r.legal_form),
        text(&r.membership_type),
        csv_field(&l.sectors.join(";")),
        text(&r.nation),
        text(&r.region),
        text(&r.locality),
        number(r.founded),
        number(r.members),
        text(&http_url(r.website.as_deref())),
        csv_field(&r.actor_id),
        text(&rfc3339(r.listed_at)),
    ];
    let mut line = cells.join(",");
    line.push_str("\r\n");
    line
}

/// One JSON record, with the CSV's columns.
fn json_row(l: &Listing) -> Value {
    let r = &l.row;
    json!({
        "name": r.name,
        "registered_number": r.registered_number,
        "legal_form": r.legal_form,
        "membership_type": r.membership_type,
        "sectors": l.sectors,
        "nation": r.nation,
        "region": r.region,
        "locality": r.locality,
        "founded": r.founded,
        "members": r.members,
        "website": http_url(r.website.as_deref()),
        "actor_url": r.actor_id,
        "listed_since": rfc3339(r.listed_at),
    })
}

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Csv,
    Json,
}

/// Where an export stream is.
struct Walk {
    node: AppState,
    query: BrowseQuery,
    format: Format,
    /// The first chunk, fetched before answering so that errors get a proper status.
    ready: Option<Vec<Listing>>,
    after: Option<String>,
    started: bool,
    wrote_item: bool,
    done: bool,
}

/// Renders the next chunk of an export.
async fn step(mut w: Walk) -> Option<(Result<Bytes, AppError>, Walk)> {
    if w.done {
        return None;
    }
    let chunk = match w.ready.take() {
        Some(chunk) => chunk,
        None => match index::export(&w.node, &w.query, w.after.as_deref(), CHUNK).await {
            Ok(chunk) => chunk,
            Err(e) => {
                tracing::error!(error = %e, "export failed part-way");
                w.done = true;
                return Some((Err(e), w));
            }
        },
    };
    let mut out = String::new();
    if !w.started {
        w.started = true;
        match w.format {
            Format::Csv => {
                out.push_str(&COLUMNS.join(","));
                out.push_str("\r\n");
            }
            Format::Json => out.push('['),
        }
    }
    for l in &chunk {
        match w.format {
            Format::Csv => out.push_str(&csv_row(l)),
            Format::Json => {
                if w.wrote_item {
                    out.push(',');
                }
                out.push_str(&escape_json(&json_row(l).to_string()));
                w.wrote_item = true;
            }
        }
    }
    if (chunk.len() as i64) < CHUNK {
        if w.format == Format::Json {
            out.push_str("]\n");
        }
        w.done = true;
    } else {
        w.after = chunk.last().map(|l| l.row.actor_id.clone());
    }
    Some((Ok(Bytes::from(out)), w))
}

async fn export(node: AppState, raw: Option<String>, format: Format) -> Result<Response, ApiError> {
    ensure_directory(&node)?;
    let query = browse_query(&params(raw.as_deref()))?;
    let first = index::export(&node, &query, None, CHUNK).await?;
    let walk = Walk {
        node,
        query,
        format,
        ready: Some(first),
        after: None,
        started: false,
        wrote_item: false,
        done: false,
    };
    let body = Body::from_stream(futures::stream::unfold(walk, step));
    let (content_type, disposition) = match format {
        Format::Csv => (
            "text/csv; charset=utf-8; header=present",
            "attachment; filename=\"coops.csv\"",
        ),
        Format::Json => ("application/json", "inline; filename=\"coops.json\""),
    };
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static(disposition),
    );
    Ok(res)
}

/// `GET /directory/export/coops.csv`: every listed co-op (or those matching the filters).
async fn http_get_csv(
    State(node): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    export(node, raw, Format::Csv).await
}

/// `GET /directory/export/coops.json`: the same as a JSON array.
async fn http_get_json(
    State(node): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    export(node, raw, Format::Json).await
}

/// A listing as a Murmurations `organizations_schema-v1.0.0` profile.
pub fn murmurations_profile(base: &url::Url, l: &Listing) -> Value {
    let r = &l.row;
    let page = base
        .join(&coop_path(l))
        .map(|u| u.to_string())
        .unwrap_or_default();
    let website = http_url(r.website.as_deref());
    let profile = http_url(r.url.as_deref());
    let primary_url = website
        .clone()
        .or_else(|| profile.clone())
        .unwrap_or_else(|| r.actor_id.clone());
    let mut urls: Vec<Value> = Vec::new();
    let mut add = |name: &str, url: Option<String>| {
        if let Some(url) = url
            && !urls.iter().any(|u| u["url"] == url.as_str())
        {
            urls.push(json!({ "name": name, "url": url }));
        }
    };
    add("Website", website);
    add("Fediverse profile", profile);
    add("Directory listing", Some(page));
    let mut tags: Vec<String> = Vec::new();
    let candidates = l
        .sectors
        .iter()
        .map(|s| display_name(s))
        .chain(r.membership_type.as_deref().map(display_name))
        .chain(["Co-operative".to_string()]);
    for tag in candidates {
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    let region = r
        .region
        .as_deref()
        .or(r.nation.as_deref())
        .map(display_name);
    let mut doc = json!({
        "linked_schemas": [MURMURATIONS_SCHEMA],
        "name": l.display_name(),
        "primary_url": primary_url,
        "urls": urls,
        "tags": tags,
        "country_iso_3166": "GB",
        "country_name": "United Kingdom",
    });
    if let Value::Object(map) = &mut doc {
        let description = html::plain_text(&html::sanitize(&r.summary))
            .trim()
            .to_string();
        if !description.is_empty() {
            map.insert("description".into(), json!(description));
        }
        if let Some(locality) = r
            .locality
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            map.insert("locality".into(), json!(locality));
        }
        if let Some(region) = region {
            map.insert("region".into(), json!(region));
        }
    }
    doc
}

/// `GET /directory/murmurations/{handle}.json`: a listed co-op's Murmurations profile.
async fn http_get_murmurations(
    State(node): State<AppState>,
    Path(file): Path<String>,
) -> Result<SafeJson<Value>, ApiError> {
    ensure_directory(&node)?;
    let key = file
        .strip_suffix(".json")
        .ok_or_else(|| AppError::NotFound("Murmurations profiles end in .json".into()))?;
    let l = index::listing(&node, key).await?;
    Ok(SafeJson(murmurations_profile(&node.base, &l)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field(" padded"), "\" padded\"");
    }

    #[test]
    fn formulas_are_defused() {
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("-1+2"), "'-1+2");
    }
}
