//! `/manage/{handle}/blocks`: a co-op's admins block and unblock accounts (the operations
//! `mutual block actor add|remove` call).

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use super::{SignedIn, check_session_csrf, page, see_other};
use crate::AppError;
use crate::accounts::members;
use crate::accounts::sessions::Session;
use crate::app::{AppState, Node};
use crate::content::coops::{self, Coop};
use crate::federation::objects::timestamp;
use crate::moderation::actors;
use crate::web::ui::Ui;

#[derive(Template)]
#[template(path = "accounts/blocks.html")]
struct BlocksPage {
    ui: Ui,
    csrf: String,
    handle: String,
    /// Blocked actors with when (RFC 3339).
    blocked: Vec<(String, String)>,
}

/// The co-op, if the session is one of its admins.
async fn managed(node: &Node, handle: &str, session: &Session) -> Result<Coop, AppError> {
    let coop = coops::find(node, handle).await?;
    members::require_admin(node, &session.account, coop.row.id).await?;
    Ok(coop)
}

/// `GET /manage/{handle}/blocks` (the co-op's admins).
pub async fn http_get_blocks(
    State(node): State<AppState>,
    Path(handle): Path<String>,
    SignedIn(session): SignedIn,
) -> Result<Response, AppError> {
    let coop = managed(&node, &handle, &session).await?;
    let blocked = actors::list(&node, &coop.row.handle)
        .await?
        .into_iter()
        .map(|b| (b.actor_id, timestamp(b.created_at)))
        .collect();
    page(
        &BlocksPage {
            ui: Ui::new(&node),
            csrf: session.csrf.clone(),
            handle: coop.row.handle,
            blocked,
        },
        [],
    )
}

#[derive(Deserialize)]
pub struct BlockForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    target: String,
}

/// `POST /manage/{handle}/blocks`: blocks an account (@name@host or URL).
pub async fn http_post_block(
    State(node): State<AppState>,
    Path(handle): Path<String>,
    SignedIn(session): SignedIn,
    Form(form): Form<BlockForm>,
) -> Result<Response, AppError> {
    check_session_csrf(&session, &form.csrf)?;
    let coop = managed(&node, &handle, &session).await?;
    actors::block(&node, &coop.row.handle, &form.target).await?;
    Ok(see_other(
        &format!("/manage/{}/blocks", coop.row.handle),
        [],
    ))
}

/// `POST /manage/{handle}/blocks/remove`: lifts a block.
pub async fn http_post_unblock(
    State(node): State<AppState>,
    Path(handle): Path<String>,
    SignedIn(session): SignedIn,
    Form(form): Form<BlockForm>,
) -> Result<Response, AppError> {
    check_session_csrf(&session, &form.csrf)?;
    let coop = managed(&node, &handle, &session).await?;
    actors::unblock(&node, &coop.row.handle, &form.target).await?;
    Ok(see_other(
        &format!("/manage/{}/blocks", coop.row.handle),
        [],
    ))
}
