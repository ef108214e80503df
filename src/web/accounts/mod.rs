//! The signed-in pages (issue #5): log-in, the account page, setup and invitation links,
//! the node admin's page and a co-op's members. No JavaScript. Every form that changes
//! anything carries a CSRF token: a signed-in session's own token, or before log-in the
//! value of an HttpOnly `mutual_csrf` cookie (double submit). A POST without the right
//! one is 403 and changes nothing.

mod admin;
mod blocks;
mod domain_blocks;
mod editor_form;
mod editor_page;
mod followers;
mod following;
mod links;
mod login;
mod members;
mod network;
mod organise;
mod pictures;
mod profile;
mod profile_form;
mod stories;

use askama::Template;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::FromRequestParts;
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::AppError;
use crate::accounts::secret;
use crate::accounts::sessions::{self, SESSION_MS, Session};
use crate::app::{AppState, Node};

pub const SESSION_COOKIE: &str = "mutual_session";
pub const CSRF_COOKIE: &str = "mutual_csrf";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/login",
            get(login::http_get_login).post(login::http_post_login),
        )
        .route("/logout", post(login::http_post_logout))
        .route(
            "/logout-everywhere",
            post(login::http_post_logout_everywhere),
        )
        .route("/account", get(login::http_get_account))
        .route("/manage/{handle}/timeline", get(network::http_get_timeline))
        .route("/manage/{handle}/boost", post(network::http_post_boost))
        .route("/manage/{handle}/like", post(network::http_post_like))
        .route("/manage/{handle}/unlike", post(network::http_post_unlike))
        .route(
            "/coops/{handle}/network",
            get(network::http_get_public_network),
        )
        .route(
            "/manage/{handle}/notifications",
            get(network::http_get_notifications),
        )
        .route(
            "/manage/{handle}/replies/hide",
            post(network::http_post_hide_reply),
        )
        .route("/account/password", post(login::http_post_password))
        .route(
            "/setup/{token}",
            get(links::http_get_link).post(links::http_post_link),
        )
        .route(
            "/invite/{token}",
            get(links::http_get_link).post(links::http_post_link),
        )
        .route("/admin", get(admin::http_get_admin))
        .route("/admin/coops", post(admin::http_post_coop))
        .route("/admin/invites", post(admin::http_post_invite))
        .route("/admin/organisers", post(admin::http_post_organiser))
        .route("/admin/blocks", post(domain_blocks::http_post_block))
        .route(
            "/admin/reports/resolve",
            post(domain_blocks::http_post_resolve_report),
        )
        .route(
            "/admin/blocks/remove",
            post(domain_blocks::http_post_unblock),
        )
        .route(
            "/manage/{handle}/blocks",
            get(blocks::http_get_blocks).post(blocks::http_post_block),
        )
        .route(
            "/manage/{handle}/blocks/remove",
            post(blocks::http_post_unblock),
        )
        .route(
            "/manage/{handle}/profile",
            get(profile::http_get_profile).post(profile::http_post_profile),
        )
        .route(
            "/manage/{handle}/avatar",
            post(pictures::http_post_avatar).layer(uploads()),
        )
        .route(
            "/manage/{handle}/header",
            post(pictures::http_post_header).layer(uploads()),
        )
        .route(
            "/manage/{handle}/followers",
            get(followers::http_get_followers),
        )
        .route(
            "/manage/{handle}/followers/approve",
            post(followers::http_post_approve),
        )
        .route(
            "/manage/{handle}/followers/reject",
            post(followers::http_post_reject),
        )
        .route(
            "/manage/{handle}/following",
            get(following::http_get_following).post(following::http_post_follow),
        )
        .route(
            "/manage/{handle}/following/unfollow",
            post(following::http_post_unfollow),
        )
        .route("/manage/{handle}/stories", get(stories::http_get_stories))
        .route(
            "/manage/{handle}/stories/new",
            get(stories::http_get_new)
                .post(stories::http_post_new)
                .layer(uploads()),
        )
        .route(
            "/manage/{handle}/drafts/{id}",
            get(stories::http_get_draft)
                .post(stories::http_post_draft)
                .layer(uploads()),
        )
        .route(
            "/manage/{handle}/stories/{id}/edit",
            get(stories::http_get_edit)
                .post(stories::http_post_edit)
                .layer(uploads()),
        )
        .route("/organise", get(organise::http_get_organise))
        .route("/organise/add", post(organise::http_post_add))
        .route("/organise/remove", post(organise::http_post_remove))
        .route("/organise/boost", post(organise::http_post_boost))
        .route("/organise/subfeed", post(organise::http_post_subfeed))
        .route(
            "/organise/subfeed/delete",
            post(organise::http_post_subfeed_delete),
        )
        .route("/manage/{handle}/members", get(members::http_get_members))
        .route(
            "/manage/{handle}/members/invite",
            post(members::http_post_invite),
        )
        .route(
            "/manage/{handle}/members/remove",
            post(members::http_post_remove),
        )
}

/// The body limit of forms that carry an image: the 8 MiB image and the other fields. (Every
/// other request keeps the node's 1 MiB cap.)
fn uploads() -> DefaultBodyLimit {
    DefaultBodyLimit::max(crate::content::media::MAX_UPLOAD_BYTES + 256 * 1024)
}

/// A multipart form that could not be read: 413 when over the body limit, else 400.
pub fn multipart_error(e: axum::extract::multipart::MultipartError) -> AppError {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        AppError::TooLarge
    } else {
        AppError::BadRequest(format!("form: {}", e.body_text()))
    }
}

/// The value of a cookie the browser sent.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, path /, Secure when the node is https.
pub fn set_cookie(
    node: &Node,
    name: &str,
    value: &str,
    max_age_secs: i64,
) -> Result<HeaderValue, AppError> {
    let secure = node.base.scheme() == "https";
    HeaderValue::from_str(&cookie_text(name, value, max_age_secs, secure))
        .map_err(|e| AppError::Internal(format!("cookie: {e}")))
}

fn cookie_text(name: &str, value: &str, max_age_secs: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}")
}

/// The signed-in session of this request, if any.
pub async fn viewer(node: &Node, headers: &HeaderMap) -> Result<Option<Session>, AppError> {
    match cookie(headers, SESSION_COOKIE) {
        Some(id) => sessions::current(node, &id).await,
        None => Ok(None),
    }
}

/// The signed-in session, as an extractor: a signed-out browser is sent to the log-in
/// page instead.
pub struct SignedIn(pub Session);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, node: &AppState) -> Result<Self, Response> {
        match viewer(node, &parts.headers).await {
            Ok(Some(session)) => Ok(SignedIn(session)),
            Ok(None) => Err(Redirect::to("/login").into_response()),
            Err(e) => Err(e.into_response()),
        }
    }
}

fn csrf_refused() -> AppError {
    AppError::Forbidden(
        "this form's security token is missing or out of date: reload the page and try again"
            .into(),
    )
}

/// Checks a signed-in form's token against the session's.
pub fn check_session_csrf(session: &Session, token: &str) -> Result<(), AppError> {
    if !token.is_empty() && constant_time_eq(token, &session.csrf) {
        Ok(())
    } else {
        Err(csrf_refused())
    }
}

/// Checks a form sent before log-in: its token must equal the `mutual_csrf` cookie.
pub fn check_cookie_csrf(headers: &HeaderMap, token: &str) -> Result<(), AppError> {
    match cookie(headers, CSRF_COOKIE) {
        Some(c) if !token.is_empty() && constant_time_eq(token, &c) => Ok(()),
        _ => Err(csrf_refused()),
    }
}

/// The token for a form shown before log-in, and the cookie to set when the browser has
/// none yet.
pub fn anonymous_csrf(
    node: &Node,
    headers: &HeaderMap,
) -> Result<(String, Option<HeaderValue>), AppError> {
    if let Some(c) = cookie(headers, CSRF_COOKIE) {
        return Ok((c, None));
    }
    let token = secret();
    let cookie = set_cookie(node, CSRF_COOKIE, &token, SESSION_MS / 1000)?;
    Ok((token, Some(cookie)))
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Renders a page, with cookies to set.
pub fn page(
    t: &impl Template,
    cookies: impl IntoIterator<Item = HeaderValue>,
) -> Result<Response, AppError> {
    let body = t
        .render()
        .map_err(|e| AppError::Internal(format!("template: {e}")))?;
    let mut response = Html(body).into_response();
    for c in cookies {
        response.headers_mut().append(SET_COOKIE, c);
    }
    Ok(response)
}

/// A redirect after a POST (303), with cookies to set.
pub fn see_other(to: &str, cookies: impl IntoIterator<Item = HeaderValue>) -> Response {
    let mut response = Redirect::to(to).into_response();
    for c in cookies {
        response.headers_mut().append(SET_COOKIE, c);
    }
    response
}

/// Starts a session in this browser: the new session cookie (any old one is replaced).
pub fn session_cookie(node: &Node, id: &str) -> Result<HeaderValue, AppError> {
    set_cookie(node, SESSION_COOKIE, id, SESSION_MS / 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_http_only_lax_and_secure_on_https() {
        assert_eq!(
            cookie_text("mutual_session", "abc", 60, true),
            "mutual_session=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure"
        );
        assert!(!cookie_text("mutual_session", "abc", 60, false).contains("Secure"));
        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            HeaderValue::from_static("a=1; mutual_session=xyz; b="),
        );
        assert_eq!(cookie(&headers, SESSION_COOKIE).as_deref(), Some("xyz"));
        assert_eq!(cookie(&headers, "b"), None);
        assert!(constant_time_eq("same", "same") && !constant_time_eq("same", "sane"));
    }
}
