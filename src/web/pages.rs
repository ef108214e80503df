//! The plain HTML pages: home, co-op, story, tag, and the 410 page of a deleted story.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};

use crate::AppError;
use crate::app::{AppState, Node};
use crate::content::coops::{self, Coop};
use crate::content::html;
use crate::content::stories::{self, Story};
use crate::federation::objects::coop::{label, place_name};
use crate::federation::objects::timestamp;
use crate::federation::urls;

const STORIES_PER_PAGE: i64 = 20;

/// A story in a list.
struct StoryItem {
    url: String,
    title: String,
    coop_name: String,
    published: String,
}

fn item(node: &Node, s: &Story) -> StoryItem {
    StoryItem {
        url: s.url(&node.base).to_string(),
        title: s.row.title.clone(),
        coop_name: s.coop.name.clone(),
        published: timestamp(s.row.published_at),
    }
}

fn render(t: &impl Template) -> Result<Response, AppError> {
    let body = t
        .render()
        .map_err(|e| AppError::Internal(format!("template: {e}")))?;
    Ok(Html(body).into_response())
}

/// A co-op in the home page's list.
struct CoopItem {
    url: String,
    name: String,
    handle: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    domain: String,
    coops: Vec<CoopItem>,
    stories: Vec<StoryItem>,
}

/// `GET /`: the co-ops hosted here and the latest stories.
pub async fn http_get_home(State(node): State<AppState>) -> Result<Response, AppError> {
    let coops = coops::list(&node)
        .await?
        .iter()
        .map(|c| CoopItem {
            url: urls::coop(&node.base, &c.row.handle).to_string(),
            name: c.profile.name.clone(),
            handle: format!("@{}@{}", c.row.handle, node.domain()),
        })
        .collect();
    let stories = stories::latest(&node, 20)
        .await?
        .iter()
        .map(|s| item(&node, s))
        .collect();
    render(&HomePage {
        domain: node.domain(),
        coops,
        stories,
    })
}

/// What a link shared on Mastodon (or elsewhere) shows: OpenGraph tags, and
/// `fediverse:creator` so Mastodon attributes the card to the co-op's account.
struct Card {
    /// `article` or `profile`.
    kind: &'static str,
    title: String,
    description: String,
    url: String,
    image: Option<String>,
    image_alt: String,
    /// `@handle@domain`.
    creator: String,
}

/// A plain-text description from HTML: at most 200 characters, cut at a word.
fn describe(html_text: &str) -> String {
    let text = html::plain_text(html_text);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= 200 {
        return text;
    }
    let cut: String = text.chars().take(200).collect();
    let cut = cut
        .rsplit_once(' ')
        .map_or(cut.as_str(), |(a, _)| a)
        .to_string();
    format!("{cut}…")
}

#[derive(Template)]
#[template(path = "coop.html")]
struct CoopPage {
    card: Card,
    domain: String,
    name: String,
    handle: String,
    actor_url: String,
    summary_html: String,
    fields: Vec<(String, String)>,
    website: Option<String>,
    stories: Vec<StoryItem>,
    page: i64,
    has_more: bool,
}

/// The structured profile as label/value rows.
fn profile_rows(coop: &Coop) -> Vec<(String, String)> {
    let p = &coop.profile;
    let mut rows = vec![
        (
            "Sectors".to_string(),
            p.sectors
                .iter()
                .map(|s| label(s.as_str()))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ("Where".to_string(), place_name(p)),
    ];
    let mut add = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            rows.push((k.to_string(), v));
        }
    };
    add("Membership", p.membership_type.map(|m| label(m.as_str())));
    add("Legal form", p.legal_form.map(|f| label(f.as_str())));
    add("Registrar", p.registrar.clone());
    add("Registered number", p.registered_number.clone());
    add("Founded", p.founded.map(|y| y.to_string()));
    add("Members", p.members.map(|n| n.to_string()));
    rows
}

/// A co-op's profile page with a page of its stories.
pub async fn coop_page(node: &Node, coop: &Coop, page: i64) -> Result<Response, AppError> {
    let page = page.max(1);
    let offset = (page - 1).saturating_mul(STORIES_PER_PAGE);
    let mut list = stories::list(node, coop, STORIES_PER_PAGE + 1, offset).await?;
    let has_more = list.len() as i64 > STORIES_PER_PAGE;
    list.truncate(STORIES_PER_PAGE as usize);
    let actor_url = urls::coop(&node.base, &coop.row.handle).to_string();
    let card = Card {
        kind: "profile",
        title: coop.profile.name.clone(),
        description: describe(&html::markdown(&coop.profile.summary)),
        url: actor_url.clone(),
        image: coop
            .avatar
            .as_ref()
            .map(|m| crate::content::media::url(&node.base, &m.hash, &m.content_type).to_string()),
        image_alt: format!("The avatar of {}", coop.profile.name),
        creator: format!("@{}@{}", coop.row.handle, node.domain()),
    };
    render(&CoopPage {
        card,
        domain: node.domain(),
        name: coop.profile.name.clone(),
        handle: format!("@{}@{}", coop.row.handle, node.domain()),
        actor_url: urls::coop(&node.base, &coop.row.handle).to_string(),
        summary_html: html::markdown(&coop.profile.summary),
        // The directory's Service actors (itself, its sub-feeds) have no co-op profile.
        fields: if coop.is_coop() {
            profile_rows(coop)
        } else {
            Vec::new()
        },
        website: coop.profile.website.as_ref().map(|w| w.to_string()),
        stories: list.iter().map(|s| item(node, s)).collect(),
        page,
        has_more,
    })
}

#[derive(Template)]
#[template(path = "story.html")]
struct StoryPage {
    card: Card,
    domain: String,
    title: String,
    url: String,
    coop_name: String,
    coop_url: String,
    published: String,
    updated: Option<String>,
    body_html: String,
    tags: Vec<(String, String)>,
    /// (URL, alt text, width, height).
    images: Vec<(String, String, i64, i64)>,
}

/// A story's page.
pub fn story_page(node: &Node, story: &Story) -> Result<Response, AppError> {
    let body_html = html::markdown(&story.row.body);
    let first = story.images.first();
    let card = Card {
        kind: "article",
        title: story.row.title.clone(),
        description: describe(&body_html),
        url: story.url(&node.base).to_string(),
        image: first
            .map(|i| crate::content::media::url(&node.base, &i.hash, &i.content_type).to_string()),
        image_alt: first.map(|i| i.alt.clone()).unwrap_or_default(),
        creator: format!("@{}@{}", story.coop.handle, node.domain()),
    };
    render(&StoryPage {
        card,
        domain: node.domain(),
        title: story.row.title.clone(),
        url: story.url(&node.base).to_string(),
        coop_name: story.coop.name.clone(),
        coop_url: urls::coop(&node.base, &story.coop.handle).to_string(),
        published: timestamp(story.row.published_at),
        updated: story.row.updated_at.map(timestamp),
        body_html,
        images: story
            .images
            .iter()
            .map(|i| {
                let url = crate::content::media::url(&node.base, &i.hash, &i.content_type);
                (url.to_string(), i.alt.clone(), i.width, i.height)
            })
            .collect(),
        tags: story
            .tags
            .iter()
            .map(|t| (t.clone(), urls::tag(&node.base, t).to_string()))
            .collect(),
    })
}

#[derive(Template)]
#[template(path = "gone.html")]
struct GonePage {
    domain: String,
}

/// The page of a deleted story (served with 410).
pub fn gone_page() -> Html<String> {
    Html(
        GonePage {
            domain: String::new(),
        }
        .render()
        .unwrap_or_else(|_| "Gone".into()),
    )
}

#[derive(Template)]
#[template(path = "tag.html")]
struct TagPage {
    domain: String,
    tag: String,
    stories: Vec<StoryItem>,
}

/// `GET /tags/{tag}`: stories with a tag.
pub async fn http_get_tag(
    State(node): State<AppState>,
    Path(tag): Path<String>,
) -> Result<Response, AppError> {
    let stories = stories::tagged(&node, &tag, 50)
        .await?
        .iter()
        .map(|s| item(&node, s))
        .collect();
    render(&TagPage {
        domain: node.domain(),
        tag,
        stories,
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
