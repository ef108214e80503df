//! `/manage/{handle}/followers`: a co-op's admins approve, reject and remove followers
//! (the operations `mutual follower approve|reject` call).

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use super::{SignedIn, check_session_csrf, page, see_other};
use crate::AppError;
use crate::accounts::members;
use crate::app::AppState;
use crate::content::{coops, followers};
use crate::web::ui::Ui;

#[derive(Template)]
#[template(path = "accounts/followers.html")]
struct FollowersPage {
    ui: Ui,
    csrf: String,
    handle: String,
    followers: Vec<(String, String)>,
}

/// `GET /manage/{handle}/followers` (the co-op's admins).
pub async fn http_get_followers(
    State(node): State<AppState>,
    Path(handle): Path<String>,
    SignedIn(session): SignedIn,
) -> Result<Response, AppError> {
    let coop = coops::find(&node, &handle).await?;
    members::require_admin(&node, &session.account, coop.row.id).await?;
    let followers = followers::list(&node, &coop.row.handle, None)
        .await?
        .into_iter()
        .map(|f| (f.actor_id, f.state))
        .collect();
    page(
        &FollowersPage {
            ui: Ui::new(&node),
            csrf: session.csrf.clone(),
            handle: coop.row.handle,
            followers,
        },
        [],
    )
}

#[derive(Deserialize)]
pub struct FollowerForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    actor: String,
}

async fn answer(
    node: &AppState,
    handle: &str,
    session: &crate::accounts::sessions::Session,
    form: &FollowerForm,
    approve: bool,
) -> Result<Response, AppError> {
    check_session_csrf(session, &form.csrf)?;
    let coop = coops::find(node, handle).await?;
    members::require_admin(node, &session.account, coop.row.id).await?;
    if approve {
        followers::approve(node, &coop.row.handle, &form.actor).await?;
    } else {
        followers::reject(node, &coop.row.handle, &form.actor).await?;
    }
    Ok(see_other(
        &format!("/manage/{}/followers", coop.row.handle),
        [],
    ))
}

/// `POST /manage/{handle}/followers/approve`: accepts a pending follower (sends Accept).
pub async fn http_post_approve(
    State(node): State<AppState>,
    Path(handle): Path<String>,
    SignedIn(session): SignedIn,
    Form(form): Form<FollowerForm>,
) -> Result<Response, AppError> {
    answer(&node, &handle, &session, &form, true).await
}

/// `POST /manage/{handle}/followers/reject`: rejects a pending follower or removes an
/// accepted one (sends Reject, as Mastodon does to remove a follower).
pub async fn http_post_reject(
    State(node): State<AppState>,
    Path(handle): Path<String>,
    SignedIn(session): SignedIn,
    Form(form): Form<FollowerForm>,
) -> Result<Response, AppError> {
    answer(&node, &handle, &session, &form, false).await
}
