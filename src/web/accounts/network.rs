//! A co-op's view of the movement (its members): the network timeline (what the actors it
//! follows post and boost, newest first, a page at a time), its notifications (mentions,
//! replies), and hiding a reply from a story's page (its admins). A co-op that opts in
//! shows the same timeline publicly at `/coops/HANDLE/network`.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::{SignedIn, check_session_csrf, page, see_other};
use crate::AppError;
use crate::accounts::members;
use crate::accounts::sessions::Session;
use crate::app::{AppState, Node};
use crate::content::coops::{self, Coop};
use crate::content::{conversations, html, stories};
use crate::db::remote_posts::TimelineRow;
use crate::federation::objects::timestamp;
use crate::web::directory::http_url;
use crate::web::paging::{PageQuery, Window};
use crate::web::ui::Ui;

/// How many entries a page of the timeline shows.
pub const PER_PAGE: i64 = 20;
/// How many notifications a page shows.
const NOTIFICATIONS_PER_PAGE: i64 = 50;

/// A post in the timeline, as shown.
pub struct Entry {
    /// The post's id (what a reply or a boost names).
    pub id: String,
    pub url: String,
    pub kind: String,
    pub title: Option<String>,
    /// Sanitised HTML: a Note's text; for an Article, Page, Video… its summary.
    pub content_html: String,
    /// The author's URL, name and handle (from the actor cache).
    pub author: String,
    pub author_name: String,
    pub author_handle: String,
    /// Who boosted it: (URL, name).
    pub boosted_by: Option<(String, String)>,
    pub at: String,
    /// Whether the co-op whose timeline this is likes it.
    pub liked: bool,
}

/// (name, handle) of each actor, looked up once per page.
type Names = HashMap<String, (String, String)>;

async fn name_of(
    node: &Node,
    names: &mut Names,
    actor: &str,
) -> Result<(String, String), AppError> {
    if let Some(found) = names.get(actor) {
        return Ok(found.clone());
    }
    let found = crate::content::names::of_actor(node, actor).await?;
    names.insert(actor.to_string(), found.clone());
    Ok(found)
}

async fn entry(node: &Node, names: &mut Names, row: TimelineRow) -> Result<Entry, AppError> {
    let (author_name, author_handle) = name_of(node, names, &row.actor_id).await?;
    let boosted_by = match row.boosted_by {
        Some(b) => Some((b.clone(), name_of(node, names, &b).await?.0)),
        None => None,
    };
    Ok(Entry {
        id: row.id.clone(),
        url: http_url(row.url.as_deref()).unwrap_or_else(|| row.id.clone()),
        kind: row.kind,
        title: row.name.filter(|n| !n.trim().is_empty()),
        content_html: html::sanitize(&row.content),
        author: row.actor_id,
        author_name,
        author_handle,
        boosted_by,
        at: timestamp(row.at),
        liked: false,
    })
}

/// Page `window` of co-op `coop_id`'s network timeline and whether there is more.
pub async fn timeline_page(
    node: &Node,
    coop_id: i64,
    window: Window,
) -> Result<(Vec<Entry>, bool), AppError> {
    let mut rows = conversations::timeline(node, coop_id, window.limit(), window.offset()).await?;
    let more = window.more(&mut rows);
    let mut names = Names::new();
    let mut entries = Vec::with_capacity(rows.len());
    for row in rows {
        entries.push(entry(node, &mut names, row).await?);
    }
    let ids: Vec<String> = entries.iter().map(|e| e.id.clone()).collect();
    let liked = crate::content::reactions::liked_among(node, coop_id, &ids).await?;
    for e in &mut entries {
        e.liked = liked.contains(&e.id);
    }
    Ok((entries, more))
}

#[derive(Template)]
#[template(path = "accounts/timeline.html")]
struct TimelinePage {
    ui: Ui,
    handle: String,
    /// The member's co-op handle and CSRF token, for Reply and Boost.
    actions: Option<(String, String)>,
    entries: Vec<Entry>,
    page: i64,
    has_more: bool,
}

/// `GET /manage/{handle}/timeline` (the co-op's members).
pub async fn http_get_timeline(
    State(node): State<AppState>,
    Path(handle): Path<String>,
    Query(q): Query<PageQuery>,
    SignedIn(session): SignedIn,
) -> Result<Response, AppError> {
    let coop = coops::find(&node, &handle).await?;
    members::require_member(&node, &session.account, coop.row.id).await?;
    let window = Window::new(q.page, PER_PAGE);
    let (entries, has_more) = timeline_page(&node, coop.row.id, window).await?;
    page(
        &TimelinePage {
            ui: Ui::new(&node),
            actions: Some((coop.row.handle.clone(), session.csrf.clone())),
            handle: coop.row.handle,
            entries,
            page: window.number,
            has_more,
        },
        [],
    )
}

#[derive(Template)]
#[template(path = "network.html")]
struct PublicNetworkPage {
    ui: Ui,
    /// None: nobody acts on a public page.
    actions: Option<(String, String)>,
    name: String,
    coop_url: String,
    entries: Vec<Entry>,
    page: i64,
    has_more: bool,
}

/// `GET /coops/{handle}/network`: the network timeline of a co-op that made it public;
/// 404 for any other.
pub async fn http_get_public_network(
    State(node): State<AppState>,
    Path(handle): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let coop = coops::find(&node, &handle).await?;
    if !coop.is_coop() || !coop.profile.public_network {
        return Err(AppError::NotFound(format!(
            "'{handle}' does not show its network publicly"
        )));
    }
    let window = Window::new(q.page, PER_PAGE);
    let (entries, has_more) = timeline_page(&node, coop.row.id, window).await?;
    page(
        &PublicNetworkPage {
            ui: Ui::new(&node),
            actions: None,
            name: coop.profile.name.clone(),
            coop_url: crate::federation::urls::coop(&node.base, &coop.row.handle).to_string(),
            entries,
            page: window.number,
            has_more,
        },
        [],
    )
}

#[derive(Template)]
#[template(path = "accounts/notifications.html")]
struct NotificationsPage {
    ui: Ui,
    handle: String,
    /// (kind, actor URL, actor's name, object, when).
    items: Vec<(String, String, String, String, String)>,
    page: i64,
    has_more: bool,
}

/// `GET /manage/{handle}/notifications` (the co-op's members): mentions and replies.
pub async fn http_get_notifications(
    State(node): State<AppState>,
    Path(handle): Path<String>,
    Query(q): Query<PageQuery>,
    SignedIn(session): SignedIn,
) -> Result<Response, AppError> {
    let coop = coops::find(&node, &handle).await?;
    members::require_member(&node, &session.account, coop.row.id).await?;
    let window = Window::new(q.page, NOTIFICATIONS_PER_PAGE);
    let mut rows =
        conversations::notifications(&node, coop.row.id, window.limit(), window.offset()).await?;
    let has_more = window.more(&mut rows);
    let mut names = Names::new();
    let mut items = Vec::with_capacity(rows.len());
    for n in rows {
        let (name, _) = name_of(&node, &mut names, &n.actor_id).await?;
        items.push((
            n.kind,
            n.actor_id,
            name,
            n.object_id,
            timestamp(n.created_at),
        ));
    }
    page(
        &NotificationsPage {
            ui: Ui::new(&node),
            handle: coop.row.handle,
            items,
            page: window.number,
            has_more,
        },
        [],
    )
}

#[derive(Deserialize)]
pub struct HideForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    story: String,
    #[serde(default)]
    reply: String,
}

/// `POST /manage/{handle}/replies/hide` (the co-op's admins): the reply, and the replies
/// under it, no longer show on the story's page.
pub async fn http_post_hide_reply(
    State(node): State<AppState>,
    Path(handle): Path<String>,
    SignedIn(session): SignedIn,
    Form(form): Form<HideForm>,
) -> Result<Response, AppError> {
    check_session_csrf(&session, &form.csrf)?;
    let coop = coops::find(&node, &handle).await?;
    members::require_admin(&node, &session.account, coop.row.id).await?;
    let story = stories::find_live(&node, Some(&coop.row.handle), &form.story).await?;
    conversations::hide_reply(&node, &story, &form.reply).await?;
    Ok(see_other(story.url(&node.base).as_str(), []))
}

/// A form naming a post (Boost, Like, Unlike).
#[derive(Deserialize)]
pub struct PostForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    url: String,
}

/// `POST /manage/{handle}/boost` (the co-op's members): boosts a post to the co-op's
/// followers, as `mutual story boost` does, and goes back to the timeline.
pub async fn http_post_boost(
    State(node): State<AppState>,
    Path(handle): Path<String>,
    SignedIn(session): SignedIn,
    Form(form): Form<PostForm>,
) -> Result<Response, AppError> {
    let coop = member_form(&node, &handle, &session, &form).await?;
    crate::content::reactions::boost_post(&node, &coop.row.handle, &form.url).await?;
    Ok(back_to_timeline(&coop))
}

/// `POST /manage/{handle}/like` (the co-op's members): likes a post, as `mutual story
/// like` does, and goes back to the timeline.
pub async fn http_post_like(
    State(node): State<AppState>,
    Path(handle): Path<String>,
    SignedIn(session): SignedIn,
    Form(form): Form<PostForm>,
) -> Result<Response, AppError> {
    let coop = member_form(&node, &handle, &session, &form).await?;
    crate::content::reactions::like_post(&node, &coop.row.handle, &form.url).await?;
    Ok(back_to_timeline(&coop))
}

/// `POST /manage/{handle}/unlike` (the co-op's members): takes a like back (nothing
/// happens when the co-op did not like the post) and goes back to the timeline.
pub async fn http_post_unlike(
    State(node): State<AppState>,
    Path(handle): Path<String>,
    SignedIn(session): SignedIn,
    Form(form): Form<PostForm>,
) -> Result<Response, AppError> {
    let coop = member_form(&node, &handle, &session, &form).await?;
    crate::content::reactions::unlike_post(&node, &coop.row.handle, &form.url).await?;
    Ok(back_to_timeline(&coop))
}

/// The co-op a member's timeline form acts for, after its CSRF token and the membership
/// are checked.
async fn member_form(
    node: &Node,
    handle: &str,
    session: &Session,
    form: &PostForm,
) -> Result<Coop, AppError> {
    check_session_csrf(session, &form.csrf)?;
    let coop = coops::find(node, handle).await?;
    members::require_member(node, &session.account, coop.row.id).await?;
    Ok(coop)
}

fn back_to_timeline(coop: &Coop) -> Response {
    see_other(&format!("/manage/{}/timeline", coop.row.handle), [])
}
