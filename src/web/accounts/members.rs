//! `/manage/{handle}/members`: a co-op's admins see, invite and remove members.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use super::{SignedIn, check_session_csrf, page, see_other};
use crate::AppError;
use crate::accounts::sessions::Session;
use crate::accounts::{invites, members};
use crate::app::{AppState, Node};
use crate::web::ui::Ui;

#[derive(Template)]
#[template(path = "accounts/members.html")]
struct MembersPage {
    ui: Ui,
    csrf: String,
    handle: String,
    members: Vec<(String, String)>,
    link: Option<String>,
}

async fn render(
    node: &Node,
    session: &Session,
    handle: &str,
    link: Option<String>,
) -> Result<Response, AppError> {
    let members = members::list(node, &session.account, handle)
        .await?
        .into_iter()
        .map(|m| (m.username, m.role))
        .collect();
    page(
        &MembersPage {
            ui: Ui::new(node),
            csrf: session.csrf.clone(),
            handle: handle.to_string(),
            members,
            link,
        },
        [],
    )
}

/// `GET /manage/{handle}/members` (the co-op's admins and the node admin).
pub async fn http_get_members(
    State(node): State<AppState>,
    Path(handle): Path<String>,
    SignedIn(session): SignedIn,
) -> Result<Response, AppError> {
    render(&node, &session, &handle, None).await
}

#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    role: String,
}

/// `POST /manage/{handle}/members/invite`: an invitation link, shown once.
pub async fn http_post_invite(
    State(node): State<AppState>,
    Path(handle): Path<String>,
    SignedIn(session): SignedIn,
    Form(form): Form<InviteForm>,
) -> Result<Response, AppError> {
    check_session_csrf(&session, &form.csrf)?;
    let link = invites::invite_member(&node, Some(&session.account), &handle, &form.role).await?;
    render(&node, &session, &handle, Some(link.to_string())).await
}

#[derive(Deserialize)]
pub struct RemoveForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
}

/// `POST /manage/{handle}/members/remove`: removes a member and ends their sessions.
pub async fn http_post_remove(
    State(node): State<AppState>,
    Path(handle): Path<String>,
    SignedIn(session): SignedIn,
    Form(form): Form<RemoveForm>,
) -> Result<Response, AppError> {
    check_session_csrf(&session, &form.csrf)?;
    members::remove(&node, &session.account, &handle, form.username.trim()).await?;
    Ok(see_other(&format!("/manage/{handle}/members"), []))
}
