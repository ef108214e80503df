//! `GET /directory/stats`: the movement in numbers, as SVG bar charts drawn server-side,
//! each followed by a text table of the same numbers: co-ops per sector, per membership
//! type and per decade founded.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::{PageError, ensure_directory, render};
use crate::app::AppState;
use crate::directory::index::{self, BrowseQuery};
use crate::web::ui::Ui;

/// The width of the longest bar.
const BAR: f64 = 220.0;
/// The height of a row.
const ROW: u32 = 26;

/// One bar: its label, count, link, and where it is drawn.
pub struct Bar {
    pub label: String,
    pub count: i64,
    pub href: Option<String>,
    pub y: u32,
    pub width: f64,
}

/// A bar chart with its heading.
pub struct Chart {
    pub id: &'static str,
    pub heading: String,
    pub height: u32,
    pub bars: Vec<Bar>,
}

fn chart(id: &'static str, heading: String, rows: Vec<(String, i64, Option<String>)>) -> Chart {
    let most = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let bars: Vec<Bar> = rows
        .into_iter()
        .enumerate()
        .map(|(i, (label, count, href))| Bar {
            label,
            count,
            href,
            y: i as u32 * ROW,
            width: (count as f64 / most as f64 * BAR).max(1.0),
        })
        .collect();
    Chart {
        id,
        heading,
        height: (bars.len() as u32).max(1) * ROW,
        bars,
    }
}

#[derive(Template)]
#[template(path = "directory/stats.html")]
struct StatsView {
    ui: Ui,
    listed: i64,
    charts: Vec<Chart>,
}

/// `GET /directory/stats`.
pub async fn http_get_directory_stats(State(node): State<AppState>) -> Result<Response, PageError> {
    ensure_directory(&node)?;
    let all = index::browse(&node, &BrowseQuery::default()).await?;
    let ui = Ui::new(&node);
    let facet = |list: &[(String, i64)], param: &str| {
        list.iter()
            .map(|(v, n)| {
                (
                    ui.vocab(v).to_string(),
                    *n,
                    Some(format!("/directory/browse?{param}={v}")),
                )
            })
            .collect::<Vec<_>>()
    };
    let decades = index::founded_decades(&node)
        .await?
        .into_iter()
        .map(|(d, n)| (ui.f1("stats.decade", d), n, None))
        .collect();
    let charts = vec![
        chart(
            "sectors",
            ui.t("stats.sectors").into(),
            facet(&all.facets.sectors, "sector"),
        ),
        chart(
            "membership",
            ui.t("stats.membership").into(),
            facet(&all.facets.membership_types, "membership_type"),
        ),
        chart("founded", ui.t("stats.founded").into(), decades),
    ];
    let view = StatsView {
        ui,
        listed: all.total,
        charts,
    };
    Ok(render(StatusCode::OK, &view)?)
}
