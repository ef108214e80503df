//! `POST /admin/blocks` and `/admin/blocks/remove`: the node admin blocks and unblocks
//! domains (the operations `mutual block domain add|remove` call).

use axum::Form;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use super::admin::require_node_admin;
use super::{SignedIn, check_session_csrf, see_other};
use crate::AppError;
use crate::app::AppState;
use crate::moderation::domains;

#[derive(Deserialize)]
pub struct DomainForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    domain: String,
}

/// `POST /admin/blocks`: blocks a domain and purges what was stored from it.
pub async fn http_post_block(
    State(node): State<AppState>,
    SignedIn(session): SignedIn,
    Form(form): Form<DomainForm>,
) -> Result<Response, AppError> {
    require_node_admin(&session)?;
    check_session_csrf(&session, &form.csrf)?;
    domains::block(&node, &form.domain).await?;
    Ok(see_other("/admin#blocks", []))
}

/// `POST /admin/blocks/remove`: lifts a domain block.
pub async fn http_post_unblock(
    State(node): State<AppState>,
    SignedIn(session): SignedIn,
    Form(form): Form<DomainForm>,
) -> Result<Response, AppError> {
    require_node_admin(&session)?;
    check_session_csrf(&session, &form.csrf)?;
    domains::unblock(&node, &form.domain).await?;
    Ok(see_other("/admin#blocks", []))
}
