//! `POST /admin/blocks` and `/admin/blocks/remove`: the node admin blocks and unblocks
//! domains (the operations `mutual block domain add|remove` call); and
//! `/admin/reports/resolve` marks a report dealt with (`mutual reports resolve`).

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

#[derive(Deserialize)]
pub struct ReportForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    id: String,
}

/// `POST /admin/reports/resolve`: the report leaves the open list (it is kept).
pub async fn http_post_resolve_report(
    State(node): State<AppState>,
    SignedIn(session): SignedIn,
    Form(form): Form<ReportForm>,
) -> Result<Response, AppError> {
    require_node_admin(&session)?;
    check_session_csrf(&session, &form.csrf)?;
    crate::moderation::reports::resolve(&node, &form.id).await?;
    Ok(see_other("/admin#reports", []))
}
