//! A story's page: title, kind, date, body, images with their alt text, tags, the way back
//! to its co-op, its likes and the replies under it (which the co-op's admins can hide).

use askama::Template;
use axum::response::Response;

use crate::AppError;
use crate::accounts::sessions::Session;
use crate::app::Node;
use crate::content::stories::Story;
use crate::content::{html, media};
use crate::federation::objects::timestamp;
use crate::federation::urls;
use crate::web::card::Card;
use crate::web::conversation::{self, ReplyView};
use crate::web::pages::render;
use crate::web::summaries::describe;
use crate::web::ui::Ui;

/// An image of a story.
struct Picture {
    src: String,
    alt: String,
    width: i64,
    height: i64,
}

#[derive(Template)]
#[template(path = "story.html")]
struct StoryPage {
    ui: Ui,
    card: Card,
    title: String,
    kind: String,
    lang: String,
    url: String,
    coop_name: String,
    coop_url: String,
    handle: String,
    published: String,
    updated: Option<String>,
    body_html: String,
    tags: Vec<(String, String)>,
    images: Vec<Picture>,
    likes: i64,
    replies: Vec<ReplyView>,
    /// Every reply shown, at either level.
    reply_count: i64,
    /// The viewer's CSRF token when they may hide replies (the co-op's admins).
    moderator_csrf: Option<String>,
    public_id: String,
    coop_handle: String,
}

/// A story's page, as `viewer` (signed in, or not) sees it.
pub async fn story_page(
    node: &Node,
    story: &Story,
    viewer: Option<&Session>,
) -> Result<Response, AppError> {
    let (replies, likes) = conversation::of_story(node, story).await?;
    let moderator_csrf = match viewer {
        Some(s) => crate::accounts::members::require_admin(node, &s.account, story.coop.id)
            .await
            .ok()
            .map(|_| s.csrf.clone()),
        None => None,
    };
    let body_html = html::markdown(&story.row.body);
    let images: Vec<Picture> = story
        .images
        .iter()
        .map(|i| Picture {
            src: media::url(&node.base, &i.hash, &i.content_type).to_string(),
            alt: i.alt.clone(),
            width: i.width,
            height: i.height,
        })
        .collect();
    let handle = format!("@{}@{}", story.coop.handle, node.domain());
    let card = Card {
        kind: "article",
        title: story.row.title.clone(),
        description: describe(&body_html),
        url: story.url(&node.base).to_string(),
        image: images.first().map(|i| i.src.clone()),
        image_alt: images.first().map(|i| i.alt.clone()).unwrap_or_default(),
        creator: handle.clone(),
    };
    render(&StoryPage {
        ui: Ui::new(node),
        card,
        title: story.row.title.clone(),
        kind: story.row.kind.clone(),
        lang: story.row.language.clone(),
        url: story.url(&node.base).to_string(),
        coop_name: story.coop.name.clone(),
        coop_url: urls::coop(&node.base, &story.coop.handle).to_string(),
        handle,
        published: timestamp(story.row.published_at),
        updated: story.row.updated_at.map(timestamp),
        body_html,
        images,
        likes,
        reply_count: replies.iter().map(|r| 1 + r.children.len() as i64).sum(),
        replies,
        moderator_csrf,
        public_id: story.row.public_id.clone(),
        coop_handle: story.coop.handle.clone(),
        tags: story
            .tags
            .iter()
            .map(|t| (t.clone(), urls::tag(&node.base, t).to_string()))
            .collect(),
    })
}
