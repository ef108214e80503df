//! Research, news and stories across the movement, newest first, by kind.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::{
    Choice, PageError, StoryCard, ensure_directory, int_param, params, render, story_card,
    text_param,
};
use crate::app::AppState;
use crate::directory::index;
use crate::web::ui::Ui;

#[derive(Template)]
#[template(path = "directory/stories.html")]
struct StoriesView {
    ui: Ui,
    heading: String,
    kinds: Vec<Choice>,
    stories: Vec<StoryCard>,
    total: i64,
    page: i64,
    pages: i64,
    prev_href: Option<String>,
    next_href: Option<String>,
    /// The Atom feed of these stories.
    feed_href: String,
}

fn stories_href(kind: Option<&str>, page: i64) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    if let Some(k) = kind {
        s.append_pair("kind", k);
    }
    if page > 1 {
        s.append_pair("page", &page.to_string());
    }
    let query = s.finish();
    if query.is_empty() {
        "/directory/stories".into()
    } else {
        format!("/directory/stories?{query}")
    }
}

/// `GET /directory/stories?kind=research|news|story|event`: the movement's newest stories.
pub async fn http_get_directory_stories(
    State(node): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    ensure_directory(&node)?;
    let params = params(raw.as_deref());
    let kind = text_param(&params, "kind")
        .map(|k| index::story_kind(&k))
        .transpose()?;
    let page = index::page_number(int_param(&params, "page")?);
    let filter = index::story_filter(kind, None, None)?;
    let (items, total) =
        index::latest_stories(&node, &filter, page, index::DEFAULT_PER_PAGE).await?;
    let counts = index::story_kind_counts(&node).await?;
    let ui = Ui::new(&node);
    let mut kinds = vec![Choice {
        label: ui.t("stories.all").into(),
        count: Some(counts.iter().map(|(_, n)| n).sum()),
        href: stories_href(None, 1),
        current: kind.is_none(),
    }];
    for k in index::STORY_KINDS {
        kinds.push(Choice {
            label: ui.t(&format!("stories.kind.{k}")).into(),
            count: Some(counts.iter().find(|(c, _)| c == k).map_or(0, |(_, n)| *n)),
            href: stories_href(Some(k), 1),
            current: kind == Some(*k),
        });
    }
    let pages = ((total + index::DEFAULT_PER_PAGE - 1) / index::DEFAULT_PER_PAGE).max(1);
    let view = StoriesView {
        heading: match kind {
            Some(k) => ui.t(&format!("stories.heading.{k}")).into(),
            None => ui.t("stories.heading").into(),
        },
        ui,
        kinds,
        stories: items.iter().map(|(s, l)| story_card(s, l)).collect(),
        total,
        page,
        pages,
        prev_href: (page > 1).then(|| stories_href(kind, page - 1)),
        next_href: (page < pages).then(|| stories_href(kind, page + 1)),
        feed_href: match kind {
            Some(k) => format!("/directory/feed.atom?kind={k}"),
            None => "/directory/feed.atom".into(),
        },
    };
    Ok(render(StatusCode::OK, &view)?)
}
