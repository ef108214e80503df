//! `GET /directory/map`: the movement on a map of the UK, drawn server-side as SVG. The four
//! nations are shaded by how many co-ops are listed in each; England's nine ITL1 regions
//! are markers sized by their counts. Every shape and marker links to its filtered list,
//! and a table gives the same numbers for screen readers. The counts are the directory's
//! own facet counts (`directory::index::browse`).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::map_outlines::{HEIGHT, NATIONS, REGIONS, WIDTH};
use super::{PageError, ensure_directory, render};
use crate::app::AppState;
use crate::directory::index::{self, BrowseQuery};
use crate::web::ui::Ui;

/// Fills from no co-ops to the most, light to dark.
const SHADES: [&str; 5] = ["#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"];

/// A nation's shape or a region's marker.
pub struct Place {
    pub slug: &'static str,
    pub name: String,
    pub count: i64,
    pub href: String,
    /// Nations: the path and its fill; regions: the marker's centre and radius.
    pub path: &'static str,
    pub fill: &'static str,
    pub x: f32,
    pub y: f32,
    pub r: f32,
}

#[derive(Template)]
#[template(path = "directory/map.html")]
struct MapView {
    ui: Ui,
    width: u32,
    height: u32,
    nations: Vec<Place>,
    regions: Vec<Place>,
    listed: i64,
}

fn count_of(counts: &[(String, i64)], slug: &str) -> i64 {
    counts
        .iter()
        .find(|(v, _)| v == slug)
        .map_or(0, |(_, n)| *n)
}

fn shade(count: i64, most: i64) -> &'static str {
    if count == 0 || most == 0 {
        return SHADES[0];
    }
    let step = (count as f64 / most as f64 * 4.0).ceil() as usize;
    SHADES[step.clamp(1, 4)]
}

/// `GET /directory/map`.
pub async fn http_get_directory_map(State(node): State<AppState>) -> Result<Response, PageError> {
    ensure_directory(&node)?;
    let all = index::browse(&node, &BrowseQuery::default()).await?;
    let ui = Ui::new(&node);
    let facets = &all.facets;
    let most = NATIONS
        .iter()
        .map(|(slug, _)| count_of(&facets.nations, slug))
        .max()
        .unwrap_or(0);
    let nations = NATIONS
        .iter()
        .map(|(slug, path)| {
            let count = count_of(&facets.nations, slug);
            Place {
                slug,
                name: ui.vocab(slug).to_string(),
                count,
                href: format!("/directory/browse?nation={slug}"),
                path,
                fill: shade(count, most),
                x: 0.0,
                y: 0.0,
                r: 0.0,
            }
        })
        .collect();
    let most_in_region = REGIONS
        .iter()
        .map(|(slug, _, _)| count_of(&facets.regions, slug))
        .max()
        .unwrap_or(0)
        .max(1);
    let regions = REGIONS
        .iter()
        .map(|(slug, x, y)| {
            let count = count_of(&facets.regions, slug);
            Place {
                slug,
                name: ui.vocab(slug).to_string(),
                count,
                href: format!("/directory/browse?region={slug}"),
                path: "",
                fill: "",
                x: *x,
                y: *y,
                r: 3.0 + 12.0 * (count as f32 / most_in_region as f32).sqrt(),
            }
        })
        .collect();
    let view = MapView {
        ui,
        width: WIDTH,
        height: HEIGHT,
        nations,
        regions,
        listed: all.total,
    };
    Ok(render(StatusCode::OK, &view)?)
}
