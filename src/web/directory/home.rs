//! `GET /directory`: the directory's front page. How many co-ops are listed, the latest to
//! join, the movement's latest stories and research, and the ways in: browse and search,
//! the map, the numbers, the feeds. An old browse link (`/directory?q=…`) is sent on to
//! `/directory/browse` with its query.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::{PageError, StoryCard, coop_path, ensure_directory, place_name, render, story_card};
use crate::app::AppState;
use crate::directory::index::{self, BrowseQuery, Sort};
use crate::web::ui::Ui;

/// How many co-ops "recently joined" shows, and how many stories each list shows.
const RECENT: i64 = 6;
const LATEST: i64 = 5;

/// A co-op that joined recently.
struct Joined {
    href: String,
    name: String,
    place: String,
    sectors: Vec<&'static str>,
}

#[derive(Template)]
#[template(path = "directory/home.html")]
struct HomeView {
    ui: Ui,
    directory_handle: String,
    listed: i64,
    joined: Vec<Joined>,
    stories: Vec<StoryCard>,
    research: Vec<StoryCard>,
}

/// `GET /directory`.
pub async fn http_get_directory(
    State(node): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    ensure_directory(&node)?;
    if let Some(query) = raw.filter(|q| !q.is_empty()) {
        return Ok(Redirect::permanent(&format!("/directory/browse?{query}")).into_response());
    }
    let ui = Ui::new(&node);
    let newest = index::browse(
        &node,
        &BrowseQuery {
            sort: Sort::Newest,
            per_page: RECENT,
            ..Default::default()
        },
    )
    .await?;
    let latest = |kind: Option<&str>| {
        let node = node.clone();
        let kind = kind.map(str::to_string);
        async move {
            let filter = index::story_filter(kind.as_deref(), None, None)?;
            let (items, _) = index::latest_stories(&node, &filter, 1, LATEST).await?;
            Ok::<_, crate::AppError>(items)
        }
    };
    let stories = latest(None).await?;
    let research = latest(Some("research")).await?;
    let view = HomeView {
        directory_handle: format!("@{}@{}", crate::directory::actor::HANDLE, node.domain()),
        listed: newest.total,
        joined: newest
            .items
            .iter()
            .map(|l| Joined {
                href: coop_path(l),
                name: l.display_name(),
                place: place_name(ui.lang, l),
                sectors: l.sectors.iter().map(|s| ui.lang.vocab(s)).collect(),
            })
            .collect(),
        stories: stories.iter().map(|(s, l)| story_card(s, l)).collect(),
        research: research.iter().map(|(s, l)| story_card(s, l)).collect(),
        ui,
    };
    Ok(render(StatusCode::OK, &view)?)
}
