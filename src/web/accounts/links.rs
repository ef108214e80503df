//! `/setup/{token}` and `/invite/{token}`: a one-time link, where its person chooses a
//! username and password; the account is created and signed in.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;

use super::{anonymous_csrf, check_cookie_csrf, page, see_other, session_cookie};
use crate::AppError;
use crate::accounts::invites::{self, Grant};
use crate::accounts::sessions;
use crate::app::AppState;

#[derive(Template)]
#[template(path = "accounts/link.html")]
struct LinkPage {
    domain: String,
    csrf: String,
    heading: String,
}

/// `GET /setup/{token}`, `GET /invite/{token}`: 404 for a link unknown, used or expired.
pub async fn http_get_link(
    State(node): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let heading = match invites::look_up(&node, &token).await? {
        Grant::Setup => "Set up this node's admin account".to_string(),
        Grant::Organiser => "Become an organiser of this directory".to_string(),
        Grant::Member { coop, role } => format!("Join @{coop} as {role}"),
    };
    let (csrf, cookie) = anonymous_csrf(&node, &headers)?;
    page(
        &LinkPage {
            domain: node.domain(),
            csrf,
            heading,
        },
        cookie,
    )
}

#[derive(Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

/// `POST /setup/{token}`, `POST /invite/{token}`.
pub async fn http_post_link(
    State(node): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    Form(form): Form<LinkForm>,
) -> Result<Response, AppError> {
    check_cookie_csrf(&headers, &form.csrf)?;
    let account =
        invites::accept(&node, &token, &form.username, &form.password, &form.confirm).await?;
    let id = sessions::start(&node, &account).await?;
    Ok(see_other("/account", [session_cookie(&node, &id)?]))
}
