//! A co-op's page: header, avatar, summary, its profile as a table, how to follow it, and
//! its stories a page at a time.

use askama::Template;
use axum::response::Response;

use crate::AppError;
use crate::app::Node;
use crate::content::coops::Coop;
use crate::content::{html, media, stories};
use crate::federation::urls;
use crate::web::card::Card;
use crate::web::i18n::Lang;
use crate::web::pages::render;
use crate::web::paging::Window;
use crate::web::summaries::{StoryItem, describe, story_item};
use crate::web::ui::Ui;

const STORIES_PER_PAGE: i64 = 20;

#[derive(Template)]
#[template(path = "coop.html")]
struct CoopPage {
    ui: Ui,
    card: Card,
    name: String,
    handle: String,
    actor_url: String,
    /// Its Atom feed (for the directory's actors, their slice of the directory's).
    feed_url: String,
    avatar: Option<String>,
    header: Option<String>,
    summary_html: String,
    fields: Vec<(String, String)>,
    website: Option<String>,
    stories: Vec<StoryItem>,
    page: i64,
    has_more: bool,
    /// Whether its network timeline is public (linked from the page).
    public_network: bool,
}

/// The structured profile as label/value rows, in the reader's language.
fn profile_rows(lang: Lang, coop: &Coop) -> Vec<(String, String)> {
    let p = &coop.profile;
    let t = |k: &str| lang.t(k).to_string();
    let mut place: Vec<String> = Vec::new();
    place.extend(p.locality.clone());
    place.extend(p.region.map(|r| lang.vocab(r.as_str()).to_string()));
    place.push(lang.vocab(p.nation.as_str()).to_string());
    let sectors: Vec<&str> = p.sectors.iter().map(|s| lang.vocab(s.as_str())).collect();
    let mut rows = vec![
        (t("profile.sectors"), sectors.join(", ")),
        (t("profile.where"), place.join(", ")),
    ];
    let mut add = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            rows.push((t(k), v));
        }
    };
    let vocab = |v: &str| lang.vocab(v).to_string();
    add(
        "profile.membership",
        p.membership_type.map(|m| vocab(m.as_str())),
    );
    add(
        "profile.legal_form",
        p.legal_form.map(|f| vocab(f.as_str())),
    );
    add("profile.registrar", p.registrar.clone());
    add("profile.registered_number", p.registered_number.clone());
    add("profile.founded", p.founded.map(|y| y.to_string()));
    add("profile.members", p.members.map(|n| n.to_string()));
    rows
}

/// A co-op's profile page with a page of its stories.
pub async fn coop_page(node: &Node, coop: &Coop, page: Option<i64>) -> Result<Response, AppError> {
    let ui = Ui::new(node);
    let window = Window::new(page, STORIES_PER_PAGE);
    let mut list = stories::list(node, coop, window.limit(), window.offset()).await?;
    let has_more = window.more(&mut list);
    let actor_url = urls::coop(&node.base, &coop.row.handle).to_string();
    let picture = |m: &crate::db::media::MediaRow| {
        media::url(&node.base, &m.hash, &m.content_type).to_string()
    };
    let avatar = coop.avatar.as_ref().map(picture);
    let handle = format!("@{}@{}", coop.row.handle, node.domain());
    let summary_html = html::markdown(&coop.profile.summary);
    let card = Card {
        kind: "profile",
        title: coop.profile.name.clone(),
        description: describe(&summary_html),
        url: actor_url.clone(),
        image: avatar.clone(),
        image_alt: ui.f1("coop.avatar_alt", &coop.profile.name),
        creator: handle.clone(),
    };
    render(&CoopPage {
        // The directory's Service actors (itself, its sub-feeds) have no co-op profile.
        fields: if coop.is_coop() {
            profile_rows(ui.lang, coop)
        } else {
            Vec::new()
        },
        ui,
        card,
        name: coop.profile.name.clone(),
        handle,
        actor_url,
        feed_url: crate::web::feeds::feed_url(node, coop),
        avatar,
        header: coop.header.as_ref().map(picture),
        summary_html,
        website: coop.profile.website.as_ref().map(|w| w.to_string()),
        stories: list.iter().map(|s| story_item(node, s)).collect(),
        page: window.number,
        has_more,
        public_network: coop.profile.public_network,
    })
}
