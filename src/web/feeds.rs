//! Atom feeds (RFC 4287): the node's newest stories, each co-op's, the directory's, and
//! the directory's per facet value (`?kind=`, `?nation=`, `?sector=`). Each page that has
//! a feed links it with `<link rel="alternate" type="application/atom+xml">`.

use axum::extract::{Path, RawQuery, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Redirect, Response};

use crate::AppError;
use crate::app::{AppState, Node};
use crate::content::coops::{self, Coop};
use crate::content::html::{self, escape};
use crate::content::stories;
use crate::directory::{index, subfeeds};
use crate::federation::objects::timestamp;
use crate::federation::urls;

/// Entries per feed.
const ENTRIES: i64 = 50;

/// One entry of a feed.
pub struct Entry {
    pub id: String,
    pub title: String,
    pub link: String,
    pub author: String,
    pub published: i64,
    pub updated: i64,
    /// Sanitised HTML.
    pub content: String,
    pub categories: Vec<String>,
}

/// The feed document: `id` and `self_url` are the feed's URL, `alternate` the page it
/// follows. `updated` is the newest entry's (or `fallback` when there is none).
pub fn atom(
    self_url: &str,
    title: &str,
    alternate: &str,
    entries: &[Entry],
    fallback: i64,
) -> String {
    let updated = entries.iter().map(|e| e.updated).max().unwrap_or(fallback);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    out.push_str(&format!("<id>{}</id>\n", escape(self_url)));
    out.push_str(&format!("<title>{}</title>\n", escape(title)));
    out.push_str(&format!("<updated>{}</updated>\n", timestamp(updated)));
    out.push_str(&format!(
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        escape(self_url)
    ));
    out.push_str(&format!(
        "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(alternate)
    ));
    out.push_str("<generator>mutual</generator>\n");
    for e in entries {
        out.push_str("<entry>\n");
        out.push_str(&format!("<id>{}</id>\n", escape(&e.id)));
        out.push_str(&format!("<title>{}</title>\n", escape(&e.title)));
        out.push_str(&format!(
            "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape(&e.link)
        ));
        out.push_str(&format!(
            "<author><name>{}</name></author>\n",
            escape(&e.author)
        ));
        out.push_str(&format!(
            "<published>{}</published>\n",
            timestamp(e.published)
        ));
        out.push_str(&format!("<updated>{}</updated>\n", timestamp(e.updated)));
        for c in &e.categories {
            out.push_str(&format!("<category term=\"{}\"/>\n", escape(c)));
        }
        out.push_str(&format!(
            "<content type=\"html\">{}</content>\n",
            escape(&e.content)
        ));
        out.push_str("</entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

fn reply(body: String) -> Response {
    (
        [(CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        body,
    )
        .into_response()
}

fn story_entry(node: &Node, s: &stories::Story) -> Entry {
    let url = s.url(&node.base).to_string();
    Entry {
        id: url.clone(),
        title: s.row.title.clone(),
        link: url,
        author: s.coop.name.clone(),
        published: s.row.published_at,
        updated: s.row.updated_at.unwrap_or(s.row.published_at),
        content: html::markdown(&s.row.body),
        categories: s.tags.clone(),
    }
}

fn self_url(node: &Node, path: &str, query: Option<&str>) -> String {
    let mut url = node.base.join(path).unwrap_or_else(|_| node.base.clone());
    url.set_query(query.filter(|q| !q.is_empty()));
    url.to_string()
}

/// `GET /feed.atom`: the newest stories of every co-op on this node.
pub async fn http_get_node_feed(State(node): State<AppState>) -> Result<Response, AppError> {
    let entries: Vec<Entry> = stories::latest(&node, ENTRIES)
        .await?
        .iter()
        .map(|s| story_entry(&node, s))
        .collect();
    let title = format!("Stories from {}", node.domain());
    let body = atom(
        &self_url(&node, "/feed.atom", None),
        &title,
        node.base.as_str(),
        &entries,
        0,
    );
    Ok(reply(body))
}

/// The Atom feed of an actor's page: a co-op's own; for the directory's actor, the
/// movement's; for a sub-feed, its slice of the movement's (what it boosts).
pub fn feed_url(node: &Node, coop: &Coop) -> String {
    if coop.is_coop() {
        return format!("{}/feed.atom", urls::coop(&node.base, &coop.row.handle));
    }
    let query = match subfeeds::slice_of_handle(&coop.row.handle) {
        Some(slice) if coop.row.kind == subfeeds::KIND => {
            format!("{}={}", slice.facet(), slice.code())
        }
        _ => String::new(),
    };
    self_url(node, "/directory/feed.atom", Some(&query))
}

/// `GET /coops/{handle}/feed.atom`: one co-op's newest stories. For the directory's own
/// actors it is a permanent redirect to their slice of the directory's feed.
pub async fn http_get_coop_feed(
    State(node): State<AppState>,
    Path(handle): Path<String>,
) -> Result<Response, AppError> {
    let coop = coops::find(&node, &handle).await?;
    if !coop.is_coop() {
        return Ok(Redirect::permanent(&feed_url(&node, &coop)).into_response());
    }
    let entries: Vec<Entry> = stories::list(&node, &coop, ENTRIES, 0)
        .await?
        .iter()
        .map(|s| story_entry(&node, s))
        .collect();
    let page = urls::coop(&node.base, &coop.row.handle).to_string();
    let path = format!("/coops/{}/feed.atom", coop.row.handle);
    let body = atom(
        &self_url(&node, &path, None),
        &coop.profile.name,
        &page,
        &entries,
        coop.row.updated_at,
    );
    Ok(reply(body))
}

/// `GET /directory/feed.atom[?kind=&nation=&sector=]`: the movement's newest stories,
/// or one facet value's. A bad value is 422 naming the allowed ones.
pub async fn http_get_directory_feed(
    State(node): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    if !node.config.directory.enabled() {
        return Err(AppError::NotFound("this node runs no directory".into()));
    }
    let params: Vec<(String, String)> =
        url::form_urlencoded::parse(raw.as_deref().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let filter = index::story_filter(get("kind"), get("nation"), get("sector"))?;
    let (items, _) = index::latest_stories(&node, &filter, 1, ENTRIES).await?;
    let entries: Vec<Entry> = items
        .iter()
        .map(|(s, listing)| {
            let link = s.url.clone().unwrap_or_else(|| s.id.clone());
            Entry {
                id: s.id.clone(),
                title: if s.title.is_empty() {
                    listing.display_name()
                } else {
                    s.title.clone()
                },
                link,
                author: listing.display_name(),
                published: s.published_at,
                updated: s.published_at,
                content: html::sanitize(&s.content),
                categories: vec![s.kind.clone()],
            }
        })
        .collect();
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    let mut label = Vec::new();
    for (name, value) in [
        ("kind", &filter.kind),
        ("nation", &filter.nation),
        ("sector", &filter.sector),
    ] {
        if let Some(v) = value {
            query.append_pair(name, v);
            label.push(crate::content::vocab::display_name(v));
        }
    }
    let query = query.finish();
    let title = if label.is_empty() {
        format!("The movement's stories, from {}", node.domain())
    } else {
        format!("The movement's stories: {}", label.join(", "))
    };
    let alternate = self_url(&node, "/directory/stories", None);
    let body = atom(
        &self_url(&node, "/directory/feed.atom", Some(&query)),
        &title,
        &alternate,
        &entries,
        0,
    );
    Ok(reply(body))
}
