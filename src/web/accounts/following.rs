//! `/manage/{handle}/following`: a co-op's admins follow other actors (by handle or
//! address), see each follow's state, and unfollow: the operations `mutual follow`,
//! `mutual unfollow` and `mutual following list` call.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::{SignedIn, check_session_csrf, page, see_other};
use crate::AppError;
use crate::accounts::members;
use crate::accounts::sessions::Session;
use crate::app::AppState;
use crate::content::coops::{self, Coop};
use crate::content::follows::{self, Followed};
use crate::web::paging::{PageQuery, Window};
use crate::web::ui::Ui;

#[derive(Template)]
#[template(path = "accounts/following.html")]
struct FollowingPage {
    ui: Ui,
    csrf: String,
    handle: String,
    hidden: bool,
    follows: Vec<Followed>,
    page: i64,
    has_more: bool,
}

/// How many follows a page of the following page lists.
const PER_PAGE: i64 = 50;

/// `GET /manage/{handle}/following` (the co-op's admins).
pub async fn http_get_following(
    State(node): State<AppState>,
    Path(handle): Path<String>,
    Query(q): Query<PageQuery>,
    SignedIn(session): SignedIn,
) -> Result<Response, AppError> {
    let coop = coops::find(&node, &handle).await?;
    members::require_admin(&node, &session.account, coop.row.id).await?;
    let window = Window::new(q.page, PER_PAGE);
    let mut follows =
        follows::list_named(&node, &coop.row.handle, window.limit(), window.offset()).await?;
    let has_more = window.more(&mut follows);
    page(
        &FollowingPage {
            ui: Ui::new(&node),
            csrf: session.csrf.clone(),
            hidden: coop.profile.hide_following,
            handle: coop.row.handle,
            follows,
            page: window.number,
            has_more,
        },
        [],
    )
}

#[derive(Deserialize)]
pub struct TargetForm {
    #[serde(default)]
    csrf: String,
    /// `@name@host` or an actor URL.
    #[serde(default)]
    target: String,
}

/// The co-op of a form, once its token and the signed-in admin are checked.
async fn admin_form(
    node: &AppState,
    handle: &str,
    session: &Session,
    form: &TargetForm,
) -> Result<Coop, AppError> {
    check_session_csrf(session, &form.csrf)?;
    let coop = coops::find(node, handle).await?;
    members::require_admin(node, &session.account, coop.row.id).await?;
    Ok(coop)
}

/// `POST /manage/{handle}/following`: sends a Follow (a rejected follow may be asked again).
pub async fn http_post_follow(
    State(node): State<AppState>,
    Path(handle): Path<String>,
    SignedIn(session): SignedIn,
    Form(form): Form<TargetForm>,
) -> Result<Response, AppError> {
    let coop = admin_form(&node, &handle, &session, &form).await?;
    follows::follow(&node, &coop.row.handle, &form.target).await?;
    Ok(see_other(
        &format!("/manage/{}/following", coop.row.handle),
        [],
    ))
}

/// `POST /manage/{handle}/following/unfollow`: sends the Undo and forgets the follow.
pub async fn http_post_unfollow(
    State(node): State<AppState>,
    Path(handle): Path<String>,
    SignedIn(session): SignedIn,
    Form(form): Form<TargetForm>,
) -> Result<Response, AppError> {
    let coop = admin_form(&node, &handle, &session, &form).await?;
    follows::unfollow(&node, &coop.row.handle, &form.target).await?;
    Ok(see_other(
        &format!("/manage/{}/following", coop.row.handle),
        [],
    ))
}
