//! Every federation route in one place: discovery, actors, stories, collections, inboxes.
//! Actor and story URLs are shared with the HTML pages: content negotiation picks. In
//! secure mode every ActivityPub document but the instance actor needs a signed GET
//! (`signed_fetch`); an unsigned GET of a co-op gets its reduced document.

use crate::web::paging::PageQuery;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::negotiate::{activity_json, vary, wants_activity_json};
use super::objects::{collections, coop as coop_object, note};
use super::signed_fetch::{self, Access, FetchRequest};
use super::{inbox, nodeinfo, urls, webfinger};
use crate::app::AppState;
use crate::content::{coops, stories};
use crate::{AppError, db, web};

/// The federation routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/.well-known/webfinger", get(webfinger::http_get_webfinger))
        .route(
            "/.well-known/nodeinfo",
            get(nodeinfo::http_get_nodeinfo_index),
        )
        .route("/nodeinfo/2.1", get(nodeinfo::http_get_nodeinfo_21))
        .route("/nodeinfo/2.0", get(nodeinfo::http_get_nodeinfo_20))
        .route("/actor", get(http_get_instance_actor))
        .route("/actor/outbox", get(http_get_instance_outbox))
        .route("/inbox", post(inbox::http_post_shared_inbox))
        .route("/coops/{handle}", get(http_get_coop))
        .route("/coops/{handle}/inbox", post(inbox::http_post_coop_inbox))
        .route("/coops/{handle}/outbox", get(http_get_outbox))
        .route("/coops/{handle}/followers", get(http_get_followers))
        .route("/coops/{handle}/following", get(http_get_following))
        .route("/coops/{handle}/featured", get(http_get_featured))
        .route("/coops/{handle}/stories/{id}", get(http_get_story))
        .route(
            "/coops/{handle}/stories/{id}/activity",
            get(http_get_story_create),
        )
        .route("/activities/{id}", get(http_get_activity))
}

async fn http_get_instance_actor(State(node): State<AppState>) -> Response {
    activity_json(&node.instance.to_json(&node.base))
}

async fn http_get_instance_outbox(
    State(node): State<AppState>,
    fetch: FetchRequest,
) -> Result<Response, AppError> {
    fetch.require(&node, None).await?;
    let id = node
        .base
        .join("/actor/outbox")
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(activity_json(&collections::inline(&id, Vec::new())))
}

async fn http_get_coop(
    State(node): State<AppState>,
    Path(handle): Path<String>,
    Query(q): Query<PageQuery>,
    fetch: FetchRequest,
) -> Result<Response, AppError> {
    let coop = coops::find(&node, &handle).await?;
    if wants_activity_json(fetch.headers()) {
        let actor = coop_object::to_json(&node.base, &coop);
        let doc = match fetch.access(&node).await? {
            Access::Open => actor,
            Access::Unsigned => signed_fetch::reduced(&actor),
            Access::Signed(signer) => {
                signed_fetch::refuse_blocked_by(&node, &coop.row, &signer).await?;
                actor
            }
        };
        return Ok(signed_fetch::vary_on_signature(&node, activity_json(&doc)));
    }
    Ok(vary(web::coop_page::coop_page(&node, &coop, q.page).await?))
}

async fn http_get_outbox(
    State(node): State<AppState>,
    Path(handle): Path<String>,
    Query(q): Query<PageQuery>,
    fetch: FetchRequest,
) -> Result<Response, AppError> {
    let coop = coops::find(&node, &handle).await?;
    fetch.require(&node, Some(&coop.row)).await?;
    let id = urls::coop_part(&node.base, &handle, "outbox");
    let mut conn = node.db.acquire().await?;
    let total = db::stories::count_by_coop(&mut conn, coop.row.id).await?;
    drop(conn);
    let Some(page) = q.page else {
        return Ok(activity_json(&collections::summary(&id, total, true)));
    };
    let offset = collections::offset(page)?;
    let items = stories::list(&node, &coop, collections::PAGE_SIZE, offset)
        .await?
        .iter()
        .map(|s| {
            let mut create = note::create(&node.base, s);
            if let Some(map) = create.as_object_mut() {
                map.remove("@context");
            }
            create
        })
        .collect();
    Ok(activity_json(&collections::page(&id, page, total, items)))
}

async fn http_get_followers(
    State(node): State<AppState>,
    Path(handle): Path<String>,
    fetch: FetchRequest,
) -> Result<Response, AppError> {
    let coop = coops::find(&node, &handle).await?;
    fetch.require(&node, Some(&coop.row)).await?;
    let mut conn = node.db.acquire().await?;
    let total = db::followers::count_accepted(&mut conn, coop.row.id).await?;
    let id = urls::coop_part(&node.base, &handle, "followers");
    Ok(activity_json(&collections::summary(&id, total, false)))
}

/// The accepted follows, paged newest first as Mastodon pages them; when the co-op hides
/// them, only `totalItems`, and a page is 403 (what Mastodon serves for such an account).
async fn http_get_following(
    State(node): State<AppState>,
    Path(handle): Path<String>,
    Query(q): Query<PageQuery>,
    fetch: FetchRequest,
) -> Result<Response, AppError> {
    let coop = coops::find(&node, &handle).await?;
    fetch.require(&node, Some(&coop.row)).await?;
    let id = urls::coop_part(&node.base, &handle, "following");
    let mut conn = node.db.acquire().await?;
    if coop.profile.hide_following && q.page.is_some() {
        return Err(AppError::Forbidden(format!(
            "@{handle} does not show whom it follows"
        )));
    }
    let total = db::follows::count_accepted(&mut conn, coop.row.id).await?;
    let Some(page) = q.page else {
        let paged = !coop.profile.hide_following;
        return Ok(activity_json(&collections::summary(&id, total, paged)));
    };
    let offset = collections::offset(page)?;
    let targets =
        db::follows::accepted_targets(&mut conn, coop.row.id, collections::PAGE_SIZE, offset)
            .await?;
    let items = targets.into_iter().map(serde_json::Value::String).collect();
    Ok(activity_json(&collections::page(&id, page, total, items)))
}

async fn http_get_featured(
    State(node): State<AppState>,
    Path(handle): Path<String>,
    fetch: FetchRequest,
) -> Result<Response, AppError> {
    let coop = coops::find(&node, &handle).await?;
    fetch.require(&node, Some(&coop.row)).await?;
    let id = urls::coop_part(&node.base, &handle, "featured");
    Ok(activity_json(&collections::inline(&id, Vec::new())))
}

async fn http_get_story(
    State(node): State<AppState>,
    Path((handle, id)): Path<(String, String)>,
    fetch: FetchRequest,
) -> Result<Response, AppError> {
    let story = stories::find(&node, Some(&handle), &id).await?;
    let json = wants_activity_json(fetch.headers());
    if json {
        fetch.require(&node, Some(&story.coop)).await?;
    }
    if let Some(deleted) = story.row.deleted_at {
        if json {
            let tombstone = note::with_context(note::tombstone(&story.url(&node.base), deleted));
            let mut response = activity_json(&tombstone);
            *response.status_mut() = StatusCode::GONE;
            return Ok(response);
        }
        return Ok(vary(
            (StatusCode::GONE, web::pages::gone_page(&node)).into_response(),
        ));
    }
    if json {
        return Ok(activity_json(&note::document(&node.base, &story)));
    }
    let viewer = web::accounts::viewer(&node, fetch.headers()).await?;
    Ok(vary(
        web::story_page::story_page(&node, &story, viewer.as_ref()).await?,
    ))
}

async fn http_get_story_create(
    State(node): State<AppState>,
    Path((handle, id)): Path<(String, String)>,
    fetch: FetchRequest,
) -> Result<Response, AppError> {
    let story = stories::find_live(&node, Some(&handle), &id).await?;
    fetch.require(&node, Some(&story.coop)).await?;
    Ok(activity_json(&note::create(&node.base, &story)))
}

async fn http_get_activity(
    State(node): State<AppState>,
    Path(id): Path<String>,
    fetch: FetchRequest,
) -> Result<Response, AppError> {
    fetch.require(&node, None).await?;
    let url = node
        .base
        .join(&format!("/activities/{id}"))
        .map_err(|_| AppError::NotFound("no such activity".into()))?;
    let mut conn = node.db.acquire().await?;
    let (_, body) = db::activities::by_id(&mut conn, url.as_str())
        .await?
        .ok_or_else(|| AppError::NotFound("no such activity".into()))?;
    let value: serde_json::Value =
        serde_json::from_str(&body).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(activity_json(&value))
}
