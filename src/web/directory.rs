//! The directory's plain HTML pages (no JavaScript): browse with search, facets, sorting
//! and pages; one page per listed co-op; research, news and stories across the movement.
//! Every route answers 404 unless this node runs the directory. Text is escaped by the
//! templates; stored HTML is sanitised once more before it is shown.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::AppError;
use crate::app::{AppState, Node};
use crate::content::html;
use crate::content::vocab::display_name;
use crate::db::listings::ListingStoryRow;
use crate::directory::index::{self, BrowsePage, BrowseQuery, Listing, Sort};

/// How many stories a co-op's page shows.
const COOP_PAGE_STORIES: i64 = 10;

// ---- Helpers shared with the JSON API and the exports. ----

/// 404 unless this node runs the directory.
pub(crate) fn ensure_directory(node: &Node) -> Result<(), AppError> {
    if node.config.directory.enabled() {
        Ok(())
    } else {
        Err(AppError::NotFound(
            "this node does not run a directory".into(),
        ))
    }
}

/// A query string's parameters; a repeated name keeps its last value.
pub(crate) fn params(raw: Option<&str>) -> HashMap<String, String> {
    url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn text_param(params: &HashMap<String, String>, name: &str) -> Option<String> {
    params
        .get(name)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// A whole-number parameter (0 when absent); anything else is a 422 naming it.
pub(crate) fn int_param(params: &HashMap<String, String>, name: &str) -> Result<i64, AppError> {
    match text_param(params, name) {
        None => Ok(0),
        Some(v) => v
            .parse::<i64>()
            .map_err(|_| AppError::Invalid(format!("{name}: '{v}' is not a whole number"))),
    }
}

/// The browse query of a query string (`q`, the five facets, `sort`, `page`, `per_page`).
pub(crate) fn browse_query(params: &HashMap<String, String>) -> Result<BrowseQuery, AppError> {
    let query = BrowseQuery {
        q: text_param(params, "q"),
        nation: text_param(params, "nation"),
        region: text_param(params, "region"),
        sector: text_param(params, "sector"),
        membership_type: text_param(params, "membership_type"),
        legal_form: text_param(params, "legal_form"),
        sort: Sort::parse(params.get("sort").map(String::as_str).unwrap_or(""))?,
        page: int_param(params, "page")?,
        per_page: int_param(params, "per_page")?,
    };
    query.filter()?;
    Ok(query)
}

/// `url` if it is an absolute http(s) URL, so that no stored value can become a
/// `javascript:` link.
pub(crate) fn http_url(url: Option<&str>) -> Option<String> {
    let parsed = url::Url::parse(url?.trim()).ok()?;
    matches!(parsed.scheme(), "http" | "https").then(|| parsed.to_string())
}

/// Milliseconds as RFC 3339 (UTC, seconds).
pub(crate) fn rfc3339(ms: Option<i64>) -> Option<String> {
    chrono::DateTime::<chrono::Utc>::from_timestamp_millis(ms?)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// Percent-encodes one path segment (keeping `@` and `:`, which handles use).
fn path_segment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~@:".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The directory page of a listing.
pub(crate) fn coop_path(l: &Listing) -> String {
    format!("/directory/coops/{}", path_segment(&l.key()))
}

/// The Murmurations profile of a listing.
pub(crate) fn murmurations_path(l: &Listing) -> String {
    format!("/directory/murmurations/{}.json", path_segment(&l.key()))
}

/// The place of a listing in words: "Hackney, London, England".
pub(crate) fn place_name(l: &Listing) -> String {
    let r = &l.row;
    let mut parts: Vec<String> = Vec::new();
    parts.extend(r.locality.clone().filter(|s| !s.trim().is_empty()));
    parts.extend(r.region.as_deref().map(display_name));
    parts.extend(r.nation.as_deref().map(display_name));
    parts.join(", ")
}

fn render(status: StatusCode, t: &impl Template) -> Result<Response, AppError> {
    let body = t
        .render()
        .map_err(|e| AppError::Internal(format!("template: {e}")))?;
    Ok((status, Html(body)).into_response())
}

/// An error shown as an HTML page (the message escaped; server errors logged, not shown).
pub struct PageError(pub AppError);

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        PageError(e)
    }
}

#[derive(Template)]
#[template(path = "directory/error.html")]
struct ErrorPage {
    domain: String,
    status: u16,
    message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        if status.is_server_error() && status != StatusCode::BAD_GATEWAY {
            return self.0.into_response();
        }
        let page = ErrorPage {
            domain: "Home".into(),
            status: status.as_u16(),
            message: self.0.to_string(),
        };
        render(status, &page).unwrap_or_else(|e| e.into_response())
    }
}

// ---- Browse. ----

/// A link in a list of choices.
struct Choice {
    label: String,
    count: Option<i64>,
    href: String,
    current: bool,
}

/// One facet: its heading, an "any" link and its values.
struct FacetGroup {
    title: &'static str,
    any: Choice,
    options: Vec<Choice>,
}

/// A co-op in the results.
struct CoopCard {
    href: String,
    name: String,
    handle: Option<String>,
    summary_html: String,
    place: String,
    sectors: String,
}

#[derive(Template)]
#[template(path = "directory/browse.html")]
struct BrowseView {
    domain: String,
    directory_handle: String,
    listed: i64,
    q: String,
    hidden: Vec<(&'static str, String)>,
    facets: Vec<FacetGroup>,
    sorts: Vec<Choice>,
    total: i64,
    filtered: bool,
    items: Vec<CoopCard>,
    page: i64,
    pages: i64,
    prev_href: Option<String>,
    next_href: Option<String>,
    api_href: String,
}

/// The query string of a browse, without defaults.
fn browse_href(q: &BrowseQuery) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    let mut pair = |k: &str, v: &Option<String>| {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            s.append_pair(k, v);
        }
    };
    pair("q", &q.q);
    pair("nation", &q.nation);
    pair("region", &q.region);
    pair("sector", &q.sector);
    pair("membership_type", &q.membership_type);
    pair("legal_form", &q.legal_form);
    if q.sort != Sort::Name {
        s.append_pair("sort", q.sort.as_str());
    }
    if q.page > 1 {
        s.append_pair("page", &q.page.to_string());
    }
    if q.per_page > 0 && q.per_page != index::DEFAULT_PER_PAGE {
        s.append_pair("per_page", &q.per_page.to_string());
    }
    let query = s.finish();
    if query.is_empty() {
        "/directory".to_string()
    } else {
        format!("/directory?{query}")
    }
}

/// Reads or replaces one facet field of a query.
type Field = fn(&mut BrowseQuery) -> &mut Option<String>;

fn facet_group(
    title: &'static str,
    q: &BrowseQuery,
    field: Field,
    counts: &[(String, i64)],
) -> FacetGroup {
    let mut base = q.clone();
    base.page = 1;
    let selected = field(&mut base.clone())
        .as_deref()
        .map(|v| v.trim().to_ascii_lowercase());
    let with = |value: Option<String>| {
        let mut next = base.clone();
        *field(&mut next) = value;
        browse_href(&next)
    };
    let mut options: Vec<Choice> = counts
        .iter()
        .map(|(value, n)| Choice {
            label: display_name(value),
            count: Some(*n),
            href: with(Some(value.clone())),
            current: selected.as_deref() == Some(value.as_str()),
        })
        .collect();
    // The selected value stays visible even when nothing matches it any more.
    if let Some(sel) = &selected
        && !options.iter().any(|o| o.current)
    {
        options.push(Choice {
            label: display_name(sel),
            count: Some(0),
            href: with(Some(sel.clone())),
            current: true,
        });
    }
    FacetGroup {
        title,
        any: Choice {
            label: "Any".into(),
            count: None,
            href: with(None),
            current: selected.is_none(),
        },
        options,
    }
}

fn card(l: &Listing) -> CoopCard {
    CoopCard {
        href: coop_path(l),
        name: l.display_name(),
        handle: l.handle(),
        summary_html: html::sanitize(&l.row.summary),
        place: place_name(l),
        sectors: l
            .sectors
            .iter()
            .map(|s| display_name(s))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn browse_view(node: &Node, q: &BrowseQuery, page: &BrowsePage, listed: i64) -> BrowseView {
    let f = &page.facets;
    let facets = vec![
        facet_group("Nation", q, |q| &mut q.nation, &f.nations),
        facet_group("Region of England", q, |q| &mut q.region, &f.regions),
        facet_group("Sector", q, |q| &mut q.sector, &f.sectors),
        facet_group(
            "Membership",
            q,
            |q| &mut q.membership_type,
            &f.membership_types,
        ),
        facet_group("Legal form", q, |q| &mut q.legal_form, &f.legal_forms),
    ];
    let searching = q.q.as_deref().is_some_and(|s| !s.trim().is_empty());
    let sorts = Sort::ALL
        .iter()
        .map(|s| {
            let mut next = q.clone();
            next.sort = *s;
            next.page = 1;
            Choice {
                label: match s {
                    Sort::Name if searching => "Best match".into(),
                    Sort::Name => "Name".into(),
                    Sort::Newest => "Newest".into(),
                    Sort::Active => "Recently active".into(),
                },
                count: None,
                href: browse_href(&next),
                current: q.sort == *s,
            }
        })
        .collect();
    let mut hidden: Vec<(&'static str, String)> = Vec::new();
    for (name, value) in [
        ("nation", &q.nation),
        ("region", &q.region),
        ("sector", &q.sector),
        ("membership_type", &q.membership_type),
        ("legal_form", &q.legal_form),
    ] {
        if let Some(v) = value {
            hidden.push((name, v.clone()));
        }
    }
    if q.sort != Sort::Name {
        hidden.push(("sort", q.sort.as_str().to_string()));
    }
    let pages = ((page.total + page.per_page - 1) / page.per_page).max(1);
    let at = |n: i64| {
        let mut next = q.clone();
        next.page = n;
        browse_href(&next)
    };
    let api_query = browse_href(&BrowseQuery {
        page: page.page,
        ..q.clone()
    });
    BrowseView {
        domain: node.domain(),
        directory_handle: format!("@{}@{}", crate::directory::actor::HANDLE, node.domain()),
        listed,
        q: q.q.clone().unwrap_or_default(),
        hidden,
        facets,
        sorts,
        total: page.total,
        filtered: searching || !no_facets(q),
        items: page.items.iter().map(card).collect(),
        page: page.page,
        pages,
        prev_href: (page.page > 1).then(|| at(page.page - 1)),
        next_href: (page.page < pages).then(|| at(page.page + 1)),
        api_href: api_query.replacen("/directory", "/api/v1/directory/coops", 1),
    }
}

fn no_facets(q: &BrowseQuery) -> bool {
    [
        &q.nation,
        &q.region,
        &q.sector,
        &q.membership_type,
        &q.legal_form,
    ]
    .iter()
    .all(|v| v.is_none())
}

/// `GET /directory`: browse and search the listed co-ops.
pub async fn http_get_directory(
    State(node): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    ensure_directory(&node)?;
    let q = browse_query(&params(raw.as_deref()))?;
    let page = index::browse(&node, &q).await?;
    let listed = if no_facets(&q) && q.q.is_none() {
        page.total
    } else {
        index::count_listed(&node).await?
    };
    Ok(render(
        StatusCode::OK,
        &browse_view(&node, &q, &page, listed),
    )?)
}

// ---- One co-op. ----

/// A story in a list.
struct StoryCard {
    title: String,
    url: Option<String>,
    kind: String,
    published: String,
    content_html: String,
    coop_name: String,
    coop_href: String,
}

fn story_card(s: &ListingStoryRow, l: &Listing) -> StoryCard {
    StoryCard {
        title: if s.title.trim().is_empty() {
            "Untitled".into()
        } else {
            s.title.clone()
        },
        url: http_url(s.url.as_deref()).or_else(|| http_url(Some(&s.id))),
        kind: display_name(&s.kind),
        published: rfc3339(Some(s.published_at)).unwrap_or_default(),
        content_html: html::sanitize(&s.content),
        coop_name: l.display_name(),
        coop_href: coop_path(l),
    }
}

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

// ---- Research, news and stories. ----

#[derive(Template)]
#[template(path = "directory/stories.html")]
struct StoriesView {
    domain: String,
    heading: String,
    kinds: Vec<Choice>,
    stories: Vec<StoryCard>,
    total: i64,
    page: i64,
    pages: i64,
    prev_href: Option<String>,
    next_href: Option<String>,
}

fn stories_href(kind: Option<&str>, page: i64) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    if let Some(k) = kind {
        s.append_pair("kind", k);
    }
    if page > 1 {
        s.append_pair("page", &page.to_string());
    }
    let query = s.finish();
    if query.is_empty() {
        "/directory/stories".into()
    } else {
        format!("/directory/stories?{query}")
    }
}

/// `GET /directory/stories?kind=research|news|story|event`: the movement's newest stories.
pub async fn http_get_directory_stories(
    State(node): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    ensure_directory(&node)?;
    let params = params(raw.as_deref());
    let kind = text_param(&params, "kind")
        .map(|k| index::story_kind(&k))
        .transpose()?;
    let page = index::page_number(int_param(&params, "page")?);
    let (items, total) = index::latest_stories(&node, kind, page, index::DEFAULT_PER_PAGE).await?;
    let counts = index::story_kind_counts(&node).await?;
    let mut kinds = vec![Choice {
        label: "All".into(),
        count: Some(counts.iter().map(|(_, n)| n).sum()),
        href: stories_href(None, 1),
        current: kind.is_none(),
    }];
    for k in index::STORY_KINDS {
        kinds.push(Choice {
            label: kind_label(k).into(),
            count: Some(counts.iter().find(|(c, _)| c == k).map_or(0, |(_, n)| *n)),
            href: stories_href(Some(k), 1),
            current: kind == Some(*k),
        });
    }
    let pages = ((total + index::DEFAULT_PER_PAGE - 1) / index::DEFAULT_PER_PAGE).max(1);
    let view = StoriesView {
        domain: node.domain(),
        heading: match kind {
            Some(k) => format!("{} from the movement", kind_label(k)),
            None => "Research, news and stories from the movement".into(),
        },
        kinds,
        stories: items.iter().map(|(s, l)| story_card(s, l)).collect(),
        total,
        page,
        pages,
        prev_href: (page > 1).then(|| stories_href(kind, page - 1)),
        next_href: (page < pages).then(|| stories_href(kind, page + 1)),
    };
    Ok(render(StatusCode::OK, &view)?)
}

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "research" => "Research",
        "news" => "News",
        "event" => "Events",
        _ => "Stories",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_links_survive() {
        assert_eq!(
            http_url(Some("https://example.org/x")).as_deref(),
            Some("https://example.org/x")
        );
        assert_eq!(http_url(Some("javascript:alert(1)")), None);
        assert_eq!(http_url(Some("data:text/html,hi")), None);
        assert_eq!(http_url(Some("/relative")), None);
    }

    #[test]
    fn handles_and_urls_make_safe_path_segments() {
        assert_eq!(path_segment("film@host:8080"), "film@host:8080");
        assert_eq!(
            path_segment("https://h/coops/x?a=<b>"),
            "https:%2F%2Fh%2Fcoops%2Fx%3Fa%3D%3Cb%3E"
        );
    }

    #[test]
    fn browse_links_keep_filters_and_drop_defaults() {
        let q = BrowseQuery {
            q: Some("film & music".into()),
            nation: Some("wales".into()),
            page: 1,
            ..Default::default()
        };
        assert_eq!(browse_href(&q), "/directory?q=film+%26+music&nation=wales");
        assert_eq!(browse_href(&BrowseQuery::default()), "/directory");
    }
}
