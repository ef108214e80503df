//! NodeInfo 2.1 and 2.0, and the `/.well-known/nodeinfo` index that points at them.

use axum::Json;
use axum::extract::State;
use axum::http::header::{CONTENT_TYPE, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::app::AppState;
use crate::{AppError, db};

/// `GET /.well-known/nodeinfo`
pub async fn http_get_nodeinfo_index(State(node): State<AppState>) -> Json<Value> {
    let base = node.base.as_str().trim_end_matches('/');
    Json(json!({
        "links": [
            { "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": format!("{base}/nodeinfo/2.1") },
            { "rel": "http://nodeinfo.diaspora.software/ns/schema/2.0", "href": format!("{base}/nodeinfo/2.0") },
        ]
    }))
}

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

async fn document(node: &AppState, version: &str) -> Result<Value, AppError> {
    let mut conn = node.db.acquire().await?;
    // Users are the co-ops (not the directory's actors); active ones published lately.
    let users = db::coops::count(&mut conn).await?;
    let now = crate::now_ms();
    let month = db::coops::count_publishing_since(&mut conn, now - 30 * DAY_MS).await?;
    let halfyear = db::coops::count_publishing_since(&mut conn, now - 180 * DAY_MS).await?;
    // Discoverable co-ops are named, so a directory can suggest them to its organiser.
    let listed: Vec<String> = db::coops::all(&mut conn)
        .await?
        .iter()
        .filter(|c| db::flag(c.discoverable))
        .map(|c| crate::federation::urls::coop(&node.base, &c.handle).to_string())
        .collect();
    let posts = db::stories::count_all(&mut conn).await?;
    let software = json!({ "name": "mutual", "version": env!("CARGO_PKG_VERSION") });
    Ok(json!({
        "version": version,
        "software": software,
        "protocols": ["activitypub"],
        "services": { "inbound": [], "outbound": [] },
        "openRegistrations": false,
        "usage": {
            "users": { "total": users, "activeMonth": month, "activeHalfyear": halfyear },
            "localPosts": posts,
        },
        "metadata": {
            "nodeName": node.domain(),
            "software": "mutual: co-operatives on the fediverse",
            "coops": listed,
        },
    }))
}

/// A NodeInfo document with the content type its schema names.
async fn respond(node: &AppState, version: &str) -> Result<Response, AppError> {
    let mut response = Json(document(node, version).await?).into_response();
    let content_type = format!(
        "application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/{version}#\""
    );
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        response.headers_mut().insert(CONTENT_TYPE, value);
    }
    Ok(response)
}

/// `GET /nodeinfo/2.1`
pub async fn http_get_nodeinfo_21(State(node): State<AppState>) -> Result<Response, AppError> {
    respond(&node, "2.1").await
}

/// `GET /nodeinfo/2.0`
pub async fn http_get_nodeinfo_20(State(node): State<AppState>) -> Result<Response, AppError> {
    respond(&node, "2.0").await
}
