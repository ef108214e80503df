//! The node's plain HTML pages: home, tag, the 410 page of a deleted story, media and the
//! stylesheet. The co-op and story pages are in `coop_page` and `story_page`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};

use crate::AppError;
use crate::app::{AppState, Node};
use crate::content::coops;
use crate::content::stories;
use crate::web::paging::{PageQuery, Window};
use crate::web::summaries::{CoopItem, StoryItem, coop_item, story_item};
use crate::web::ui::Ui;

const STORIES_PER_PAGE: i64 = 20;

pub(crate) fn render(t: &impl Template) -> Result<Response, AppError> {
    let body = t
        .render()
        .map_err(|e| AppError::Internal(format!("template: {e}")))?;
    Ok(Html(body).into_response())
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ui: Ui,
    coops: Vec<CoopItem>,
    stories: Vec<StoryItem>,
}

/// `GET /`: the co-ops hosted here and the latest stories.
pub async fn http_get_home(State(node): State<AppState>) -> Result<Response, AppError> {
    let coops = coops::list(&node)
        .await?
        .iter()
        .map(|c| coop_item(&node, c))
        .collect();
    let stories = stories::latest(&node, 20)
        .await?
        .iter()
        .map(|s| story_item(&node, s))
        .collect();
    render(&HomePage {
        ui: Ui::new(&node),
        coops,
        stories,
    })
}

#[derive(Template)]
#[template(path = "gone.html")]
struct GonePage {
    ui: Ui,
}

/// The page of a deleted story (served with 410).
pub fn gone_page(node: &Node) -> Html<String> {
    Html(
        GonePage { ui: Ui::new(node) }
            .render()
            .unwrap_or_else(|_| "Gone".into()),
    )
}

#[derive(Template)]
#[template(path = "tag.html")]
struct TagPage {
    ui: Ui,
    tag: String,
    stories: Vec<StoryItem>,
    page: i64,
    has_more: bool,
}

/// `GET /tags/{tag}`: stories with a tag, newest first, 20 a page.
pub async fn http_get_tag(
    State(node): State<AppState>,
    Path(tag): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let window = Window::new(q.page, STORIES_PER_PAGE);
    let mut list = stories::tagged(&node, &tag, window.limit(), window.offset()).await?;
    let has_more = window.more(&mut list);
    render(&TagPage {
        ui: Ui::new(&node),
        tag,
        stories: list.iter().map(|s| story_item(&node, s)).collect(),
        page: window.number,
        has_more,
    })
}

/// `GET /media/{name}`: a stored image, with its type and a year's caching (the name is
/// the SHA-256 of the bytes, so it never changes).
pub async fn http_get_media(
    State(node): State<AppState>,
    Path(name): Path<String>,
) -> Result<Response, AppError> {
    use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};
    let (bytes, content_type) = crate::content::media::read(&node, &name).await?;
    Ok((
        [
            (CONTENT_TYPE, content_type),
            (CACHE_CONTROL, "public, max-age=31536000, immutable"),
            (X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        bytes,
    )
        .into_response())
}

/// The one stylesheet, built into the binary.
const STYLESHEET: &str = include_str!("../../static/mutual.css");

/// `GET /static/mutual.css`: cached for a day (it changes only with a new binary).
pub async fn http_get_stylesheet() -> Response {
    use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=86400"),
        ],
        STYLESHEET,
    )
        .into_response()
}

/// The one script: it shows the "Copy" buttons next to handles and copies on click. The
/// pages work without it (the handle is plain, selectable text).
const COPY_SCRIPT: &str = include_str!("../../static/copy.js");

/// `GET /static/copy.js`: cached for a day.
pub async fn http_get_copy_script() -> Response {
    use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
    (
        [
            (CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=86400"),
        ],
        COPY_SCRIPT,
    )
        .into_response()
}
