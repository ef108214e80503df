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
use crate::web::ui::Ui;

#[derive(Template)]
#[template(path = "accounts/link.html")]
struct LinkPage {
    ui: Ui,
    csrf: String,
    heading: String,
}

/// `GET /setup/{token}`, `GET /invite/{token}`: 404 for a link unknown, used or expired.
pub async fn http_get_link(
    State(node): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let ui = Ui::new(&node);
    let heading = match invites::look_up(&node, &token).await? {
        Grant::Setup => ui.t("link.setup").to_string(),
        Grant::Organiser => ui.t("link.organiser").to_string(),
        Grant::Member { coop, role } => ui.f2("link.member", coop, ui.t(&format!("role.{role}"))),
    };
    let (csrf, cookie) = anonymous_csrf(&node, &headers)?;
    page(&LinkPage { ui, csrf, heading }, cookie)
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
