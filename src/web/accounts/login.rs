//! Log-in, log-out and the account page (memberships, password change).

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;

use super::{
    SESSION_COOKIE, SignedIn, anonymous_csrf, check_cookie_csrf, check_session_csrf, page,
    see_other, session_cookie, set_cookie, viewer,
};
use crate::AppError;
use crate::accounts::{members, sessions};
use crate::app::AppState;
use crate::web::ui::Ui;

#[derive(Template)]
#[template(path = "accounts/login.html")]
struct LoginPage {
    ui: Ui,
    csrf: String,
}

/// `GET /login`.
pub async fn http_get_login(
    State(node): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    if viewer(&node, &headers).await?.is_some() {
        return Ok(see_other("/account", []));
    }
    let (csrf, cookie) = anonymous_csrf(&node, &headers)?;
    page(
        &LoginPage {
            ui: Ui::new(&node),
            csrf,
        },
        cookie,
    )
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

/// `POST /login`: a new session on success (never one the browser brought).
pub async fn http_post_login(
    State(node): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    check_cookie_csrf(&headers, &form.csrf)?;
    let trusted = node.config.trusted_proxy_ips()?;
    let visitor = crate::web::client::address(peer.ip(), &headers, &trusted);
    let id = sessions::log_in(&node, &form.username, &form.password, &visitor.to_string()).await?;
    Ok(see_other("/account", [session_cookie(&node, &id)?]))
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /logout`.
pub async fn http_post_logout(
    State(node): State<AppState>,
    SignedIn(session): SignedIn,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    check_session_csrf(&session, &form.csrf)?;
    sessions::log_out(&node, &session).await?;
    Ok(see_other(
        "/login",
        [set_cookie(&node, SESSION_COOKIE, "", 0)?],
    ))
}

/// `POST /logout-everywhere`: ends every session of the account.
pub async fn http_post_logout_everywhere(
    State(node): State<AppState>,
    SignedIn(session): SignedIn,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    check_session_csrf(&session, &form.csrf)?;
    sessions::log_out_everywhere(&node, session.account.id()).await?;
    Ok(see_other(
        "/login",
        [set_cookie(&node, SESSION_COOKIE, "", 0)?],
    ))
}

#[derive(Template)]
#[template(path = "accounts/account.html")]
struct AccountPage {
    ui: Ui,
    csrf: String,
    username: String,
    node_admin: bool,
    organiser: bool,
    coops: Vec<(String, String)>,
}

/// `GET /account`.
pub async fn http_get_account(
    State(node): State<AppState>,
    SignedIn(session): SignedIn,
) -> Result<Response, AppError> {
    let coops = members::memberships(&node, &session.account)
        .await?
        .into_iter()
        .map(|m| (m.handle, m.role))
        .collect();
    page(
        &AccountPage {
            ui: Ui::new(&node),
            csrf: session.csrf.clone(),
            username: session.account.row.username.clone(),
            node_admin: session.account.is_node_admin(),
            organiser: session.account.is_organiser(),
            coops,
        },
        [],
    )
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

/// `POST /account/password`: every other session ends; this browser gets a new one.
pub async fn http_post_password(
    State(node): State<AppState>,
    SignedIn(session): SignedIn,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    check_session_csrf(&session, &form.csrf)?;
    let id = sessions::change_password(
        &node,
        &session,
        &form.current,
        &form.password,
        &form.confirm,
    )
    .await?;
    Ok(see_other("/account", [session_cookie(&node, &id)?]))
}
