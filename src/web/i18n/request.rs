//! The language of each request: chosen once by a middleware and kept in a task-local for
//! the handler and its templates; and the switcher, which works without JavaScript.

use axum::extract::{Query, Request, State};
use axum::http::header::{
    ACCEPT, ACCEPT_LANGUAGE, CONTENT_LANGUAGE, CONTENT_TYPE, SET_COOKIE, VARY,
};
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::Lang;
use crate::AppError;
use crate::app::AppState;
use crate::web::accounts::{cookie, set_cookie};

/// The cookie the switcher sets: `en` or `cy`.
pub const LANG_COOKIE: &str = "mutual_lang";

/// A year, in seconds.
const YEAR_SECS: i64 = 365 * 24 * 3600;

#[derive(Clone)]
struct RequestLanguage {
    lang: Lang,
    /// The path and query of the page, for the switcher to come back to.
    path: String,
    /// The node's domain and whether it runs a directory (for pages built without the
    /// node at hand, such as error pages).
    domain: String,
    directory: bool,
}

tokio::task_local! {
    static REQUEST: RequestLanguage;
}

/// The language of the request being handled (English outside a request).
pub fn current() -> Lang {
    REQUEST.try_with(|r| r.lang).unwrap_or_default()
}

/// The path and query of the request being handled ("/" outside a request).
pub fn current_path() -> String {
    REQUEST
        .try_with(|r| r.path.clone())
        .unwrap_or_else(|_| "/".into())
}

/// The node's domain and whether it runs a directory, as seen by the request being handled.
pub fn current_node() -> (String, bool) {
    REQUEST
        .try_with(|r| (r.domain.clone(), r.directory))
        .unwrap_or_default()
}

/// The language a request asks for: the switcher's cookie, else `Accept-Language`.
fn chosen(headers: &HeaderMap) -> Lang {
    cookie(headers, LANG_COOKIE)
        .and_then(|c| Lang::parse(&c))
        .or_else(|| {
            headers
                .get(ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or_default()
}

/// Middleware: runs the request in its language; a browser's plain-text errors become
/// pages (`web::error_page`); HTML answers say their language (`Content-Language`) and
/// that they vary by it (`Vary: Accept-Language, Cookie`).
pub async fn with_language(State(node): State<AppState>, request: Request, next: Next) -> Response {
    let lang = chosen(request.headers());
    let browser = request
        .headers()
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    let after_form = request.method() == Method::POST;
    let path = request
        .uri()
        .path_and_query()
        .map_or_else(|| "/".to_string(), |p| p.as_str().to_string());
    let frame = RequestLanguage {
        lang,
        path,
        domain: node.domain(),
        directory: node.config.directory.enabled(),
    };
    let mut response = REQUEST
        .scope(frame, async move {
            let response = next.run(request).await;
            if browser {
                crate::web::error_page::as_html(response, after_form).await
            } else {
                response
            }
        })
        .await;
    let is_html = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html {
        let headers = response.headers_mut();
        headers.insert(CONTENT_LANGUAGE, HeaderValue::from_static(lang.code()));
        headers.append(VARY, HeaderValue::from_static("Accept-Language, Cookie"));
    }
    response
}

#[derive(Deserialize)]
pub struct Switch {
    to: String,
    #[serde(default)]
    back: String,
}

/// `GET /language?to=cy&back=/path`: remembers the language in a cookie for a year and
/// goes back to the page (only to a path on this node, never elsewhere).
pub async fn http_get_language(
    State(node): State<AppState>,
    Query(q): Query<Switch>,
) -> Result<Response, AppError> {
    let lang = Lang::parse(&q.to)
        .ok_or_else(|| AppError::Invalid(format!("to: '{}' is not one of en, cy", q.to)))?;
    let cookie = set_cookie(&node, LANG_COOKIE, lang.code(), YEAR_SECS)?;
    let mut response = Redirect::to(local_path(&q.back)).into_response();
    response.headers_mut().append(SET_COOKIE, cookie);
    Ok(response)
}

/// `back` when it is a path on this node, else "/": no open redirect.
fn local_path(back: &str) -> &str {
    let local = back.starts_with('/')
        && !back.starts_with("//")
        && !back.contains('\\')
        && !back.chars().any(char::is_control);
    if local { back } else { "/" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_switcher_only_goes_back_to_local_paths() {
        assert_eq!(local_path("/directory?q=film"), "/directory?q=film");
        assert_eq!(local_path("//evil.example/x"), "/");
        assert_eq!(local_path("https://evil.example/"), "/");
        assert_eq!(local_path("/\\evil.example"), "/");
        assert_eq!(local_path("/a\r\nSet-Cookie: x=y"), "/");
        assert_eq!(local_path(""), "/");
    }

    #[test]
    fn the_cookie_wins_over_accept_language() {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT_LANGUAGE, HeaderValue::from_static("cy"));
        assert_eq!(chosen(&headers), Lang::Cy);
        headers.insert("cookie", HeaderValue::from_static("mutual_lang=en"));
        assert_eq!(chosen(&headers), Lang::En);
        assert_eq!(chosen(&HeaderMap::new()), Lang::En);
    }
}
