//! Errors as pages people read. A browser (its `Accept` names `text/html`) that gets an
//! error answer in plain text gets it as an HTML page in its language instead, with the same
//! status: what went wrong in words, the detail (translated when the catalogue has its
//! pattern), and the ways back. API clients and ActivityPub peers still get the plain
//! English text.

use askama::Template;
use axum::body::{Body, to_bytes};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use crate::web::i18n::translate_detail;
use crate::web::ui::Ui;

/// The longest plain-text error turned into a page; anything longer is passed through.
const MAX_MESSAGE: usize = 64 * 1024;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    ui: Ui,
    status: u16,
    heading: &'static str,
    /// The detail: in the page's language when a catalogue pattern matches it, else the
    /// English the handler wrote.
    message: String,
    /// The detail is the handler's English (no pattern matched, or the page is English).
    in_english: bool,
    /// The error answers a form: the browser's Back button returns to it as it was.
    after_form: bool,
}

/// The heading's key for a status.
fn heading(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "error.bad_request",
        401 | 403 => "error.forbidden",
        404 => "error.not_found",
        409 => "error.conflict",
        410 => "error.gone",
        413 => "error.too_large",
        422 => "error.invalid",
        429 => "error.too_many",
        _ => "error.other",
    }
}

/// An error page with `status` and the (escaped) `message`, in the visitor's language when
/// the catalogue has it (`i18n::translate_detail`).
pub fn render(status: StatusCode, message: &str, after_form: bool) -> Response {
    let ui = Ui::current();
    let translated = translate_detail(ui.lang, message);
    let page = ErrorPage {
        status: status.as_u16(),
        heading: heading(status),
        in_english: translated.is_none(),
        message: translated.unwrap_or_else(|| message.to_string()),
        after_form,
        ui,
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!("error page: {e}");
            (status, message.to_string()).into_response()
        }
    }
}

/// `response` as a page when it is a plain-text error; anything else unchanged.
pub async fn as_html(response: Response, after_form: bool) -> Response {
    let status = response.status();
    let plain = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/plain"));
    if !(status.is_client_error() || status.is_server_error()) || !plain {
        return response;
    }
    let (parts, body) = response.into_parts();
    match to_bytes(body, MAX_MESSAGE).await {
        Ok(bytes) => {
            let mut page = render(status, &String::from_utf8_lossy(&bytes), after_form);
            // Keep what the handler said besides its body (Retry-After, Set-Cookie, …).
            for (name, value) in parts.headers.iter() {
                if name != CONTENT_TYPE && name != "content-length" {
                    page.headers_mut().append(name.clone(), value.clone());
                }
            }
            page
        }
        Err(_) => {
            let mut r = Response::from_parts(parts, Body::empty());
            r.headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
            r
        }
    }
}
