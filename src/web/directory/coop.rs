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
use crate::directory::index::{self, Listing};
use crate::web::i18n::Lang;
use crate::web::ui::Ui;

/// How many stories a co-op's page shows.
const COOP_PAGE_STORIES: i64 = 10;

#[derive(Template)]
#[template(path = "directory/coop.html")]
struct CoopView {
    ui: Ui,
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

fn fields(lang: Lang, l: &Listing) -> Vec<(&'static str, String)> {
    let r = &l.row;
    let mut rows: Vec<(&'static str, String)> = Vec::new();
    let mut add = |key: &str, value: Option<String>| {
        if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
            rows.push((lang.t(key), v));
        }
    };
    let vocab = |v: &str| lang.vocab(v).to_string();
    let sectors: Vec<&str> = l.sectors.iter().map(|s| lang.vocab(s)).collect();
    add("profile.handle", l.handle());
    add("profile.sectors", Some(sectors.join(", ")));
    add("profile.nation", r.nation.as_deref().map(vocab));
    add("profile.region", r.region.as_deref().map(vocab));
    add("profile.locality", r.locality.clone());
    add(
        "profile.membership",
        r.membership_type.as_deref().map(vocab),
    );
    add("profile.legal_form", r.legal_form.as_deref().map(vocab));
    add("profile.registrar", r.registrar.clone());
    add("profile.registered_number", r.registered_number.clone());
    add("profile.founded", r.founded.map(|y| y.to_string()));
    add("profile.members", r.members.map(|n| n.to_string()));
    add(
        "profile.listed_since",
        rfc3339(r.listed_at).map(|t| lang.date(&t)),
    );
    add(
        "profile.last_active",
        rfc3339(r.last_active_at).map(|t| lang.date(&t)),
    );
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
    let ui = Ui::new(&node);
    let view = CoopView {
        fields: fields(ui.lang, &l),
        ui,
        name: l.display_name(),
        handle: l.handle(),
        actor_id: l.row.actor_id.clone(),
        summary_html: html::sanitize(&l.row.summary),
        website: http_url(l.row.website.as_deref()),
        profile: http_url(l.row.url.as_deref()),
        last_seen: rfc3339(l.row.last_seen_at),
        stories: stories.iter().map(|s| story_card(s, &l)).collect(),
        api_href: format!("/api/v1/directory/coops/{}", path_segment(&l.key())),
        murmurations_href: murmurations_path(&l),
    };
    Ok(render(StatusCode::OK, &view)?)
}
