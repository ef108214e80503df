//! One listed co-op's page: its profile, its fields and its newest stories.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::{
    PageError, StoryCard, ensure_directory, http_url, murmurations_path, path_segment, render,
    rfc3339, story_card,
};
use crate::app::AppState;
use crate::content::html;
use crate::content::vocab::display_name;
use crate::directory::index::{self, Listing};

/// How many stories a co-op's page shows.
const COOP_PAGE_STORIES: i64 = 10;

#[derive(Template)]
#[template(path = "directory/coop.html")]
struct CoopView {
    domain: String,
    name: String,
    handle: Option<String>,
    actor_id: String,
    summary_html: String,
    fields: Vec<(&'static str, String)>,
    website: Option<String>,
    profile: Option<String>,
    last_seen: Option<String>,
    stories: Vec<StoryCard>,
    api_href: String,
    murmurations_href: String,
}

fn fields(l: &Listing) -> Vec<(&'static str, String)> {
    let r = &l.row;
    let mut rows: Vec<(&'static str, String)> = Vec::new();
    let mut add = |label: &'static str, value: Option<String>| {
        if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
            rows.push((label, v));
        }
    };
    add("Handle", l.handle());
    add(
        "Sectors",
        Some(
            l.sectors
                .iter()
                .map(|s| display_name(s))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    );
    add("Nation", r.nation.as_deref().map(display_name));
    add("Region", r.region.as_deref().map(display_name));
    add("Locality", r.locality.clone());
    add("Membership", r.membership_type.as_deref().map(display_name));
    add("Legal form", r.legal_form.as_deref().map(display_name));
    add("Registrar", r.registrar.clone());
    add("Registered number", r.registered_number.clone());
    add("Founded", r.founded.map(|y| y.to_string()));
    add("Members", r.members.map(|n| n.to_string()));
    add("Listed since", rfc3339(r.listed_at));
    add("Last active", rfc3339(r.last_active_at));
    rows
}

/// `GET /directory/coops/{handle}`: one listed co-op (by `name@host` or actor URL).
pub async fn http_get_directory_coop(
    State(node): State<AppState>,
    Path(key): Path<String>,
) -> Result<Response, PageError> {
    ensure_directory(&node)?;
    let l = index::listing(&node, &key).await?;
    let stories = index::stories_of(&node, &l.row.actor_id, COOP_PAGE_STORIES).await?;
    let view = CoopView {
        domain: node.domain(),
        name: l.display_name(),
        handle: l.handle(),
        actor_id: l.row.actor_id.clone(),
        summary_html: html::sanitize(&l.row.summary),
        fields: fields(&l),
        website: http_url(l.row.website.as_deref()),
        profile: http_url(l.row.url.as_deref()),
        last_seen: rfc3339(l.row.last_seen_at),
        stories: stories.iter().map(|s| story_card(s, &l)).collect(),
        api_href: format!("/api/v1/directory/coops/{}", path_segment(&l.key())),
        murmurations_href: murmurations_path(&l),
    };
    Ok(render(StatusCode::OK, &view)?)
}
