//! The browse page: search, facets, sorting and pages over the listed co-ops.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::facets::{FacetGroup, browse_href, facet_group};
use super::{
    Choice, PageError, browse_query, coop_path, ensure_directory, params, place_name, render,
};
use crate::app::{AppState, Node};
use crate::content::html;
use crate::directory::index::{self, BrowsePage, BrowseQuery, Listing, Sort};
use crate::web::i18n::Lang;
use crate::web::ui::Ui;

/// A co-op in the results.
struct CoopCard {
    href: String,
    name: String,
    handle: Option<String>,
    summary_html: String,
    place: String,
    sectors: Vec<&'static str>,
}

#[derive(Template)]
#[template(path = "directory/browse.html")]
struct BrowseView {
    ui: Ui,
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
    /// The Atom feed of the stories of this nation or sector (or all).
    feed_href: String,
}

fn card(lang: Lang, l: &Listing) -> CoopCard {
    CoopCard {
        href: coop_path(l),
        name: l.display_name(),
        handle: l.handle(),
        summary_html: html::sanitize(&l.row.summary),
        place: place_name(lang, l),
        sectors: l.sectors.iter().map(|s| lang.vocab(s)).collect(),
    }
}

fn browse_view(node: &Node, q: &BrowseQuery, page: &BrowsePage, listed: i64) -> BrowseView {
    let ui = Ui::new(node);
    let lang = ui.lang;
    let f = &page.facets;
    let facets = vec![
        facet_group(
            lang,
            ("browse.nation", "nation"),
            q,
            |q| &mut q.nation,
            &f.nations,
        ),
        facet_group(
            lang,
            ("browse.region", "region"),
            q,
            |q| &mut q.region,
            &f.regions,
        ),
        facet_group(
            lang,
            ("browse.sector", "sector"),
            q,
            |q| &mut q.sector,
            &f.sectors,
        ),
        facet_group(
            lang,
            ("browse.membership", "membership_type"),
            q,
            |q| &mut q.membership_type,
            &f.membership_types,
        ),
        facet_group(
            lang,
            ("browse.legal_form", "legal_form"),
            q,
            |q| &mut q.legal_form,
            &f.legal_forms,
        ),
    ];
    let searching = q.q.as_deref().is_some_and(|s| !s.trim().is_empty());
    let sorts = Sort::ALL
        .iter()
        .map(|s| {
            let mut next = q.clone();
            next.sort = *s;
            next.page = 1;
            Choice {
                label: lang
                    .t(match s {
                        Sort::Name if searching => "browse.sort_relevance",
                        Sort::Name => "browse.sort_name",
                        Sort::Newest => "browse.sort_newest",
                        Sort::Active => "browse.sort_active",
                    })
                    .into(),
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
        ui,
        directory_handle: format!("@{}@{}", crate::directory::actor::HANDLE, node.domain()),
        listed,
        q: q.q.clone().unwrap_or_default(),
        hidden,
        facets,
        sorts,
        total: page.total,
        filtered: searching || !no_facets(q),
        items: page.items.iter().map(|l| card(lang, l)).collect(),
        page: page.page,
        pages,
        prev_href: (page.page > 1).then(|| at(page.page - 1)),
        next_href: (page.page < pages).then(|| at(page.page + 1)),
        api_href: api_query.replacen("/directory/browse", "/api/v1/directory/coops", 1),
        feed_href: feed_href(q),
    }
}

/// The directory feed for a browse: its nation and sector, when chosen.
fn feed_href(q: &BrowseQuery) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in [("nation", &q.nation), ("sector", &q.sector)] {
        if let Some(v) = value.as_deref().filter(|v| !v.trim().is_empty()) {
            s.append_pair(name, v);
        }
    }
    let query = s.finish();
    if query.is_empty() {
        "/directory/feed.atom".into()
    } else {
        format!("/directory/feed.atom?{query}")
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
pub async fn http_get_directory_browse(
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
