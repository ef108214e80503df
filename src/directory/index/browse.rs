//! Browsing the listed co-ops: a page with facets, the export walk, and one listing.

use crate::AppError;
use crate::app::Node;
use crate::db::directory_queries::{self as queries, Order};

use super::facets::{Dim, admits, sorted, tally};
use super::{BrowseQuery, Facets, Listing, Sort, page_number, page_size, with_sectors};

/// One page of a browse.
#[derive(Debug, Clone)]
pub struct BrowsePage {
    pub items: Vec<Listing>,
    /// All matches, across pages.
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub facets: Facets,
}

fn order_of(sort: Sort) -> Order {
    match sort {
        Sort::Name => Order::Name,
        Sort::Newest => Order::Newest,
        Sort::Active => Order::Active,
    }
}

/// Browses the listed co-ops: filters, search (ranked when sorted by name), a page of
/// results, the total and the facet counts.
pub async fn browse(node: &Node, query: &BrowseQuery) -> Result<BrowsePage, AppError> {
    let f = query.filter()?;
    let page = page_number(query.page);
    let per_page = page_size(query.per_page);
    let mut conn = node.db.acquire().await?;
    let combos = queries::place_form_counts(&mut conn, &f).await?;
    let sectors = queries::sector_counts(&mut conn, &f).await?;
    let total: i64 = combos
        .iter()
        .filter(|c| admits(&f, c, None))
        .map(|c| c.4)
        .sum();
    let facets = Facets {
        nations: tally(&f, &combos, Dim::Nation, |c| &c.0),
        regions: tally(&f, &combos, Dim::Region, |c| &c.1),
        sectors: sorted(sectors),
        membership_types: tally(&f, &combos, Dim::Membership, |c| &c.2),
        legal_forms: tally(&f, &combos, Dim::LegalForm, |c| &c.3),
    };
    let offset = (page - 1).saturating_mul(per_page);
    let items = if offset < total {
        let rows = queries::page(&mut conn, &f, order_of(query.sort), per_page, offset).await?;
        with_sectors(&mut conn, rows).await?
    } else {
        Vec::new()
    };
    Ok(BrowsePage {
        items,
        total,
        page,
        per_page,
        facets,
    })
}

/// Up to `limit` listed co-ops matching `query`'s filters and search, in actor-URL order
/// after `after`: exports walk the whole index with this, chunk by chunk. `query`'s sort
/// and page are ignored.
pub async fn export(
    node: &Node,
    query: &BrowseQuery,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<Listing>, AppError> {
    let f = query.filter()?;
    let mut conn = node.db.acquire().await?;
    let rows = queries::after(&mut conn, &f, after, limit.clamp(1, 1000)).await?;
    with_sectors(&mut conn, rows).await
}

/// One listed co-op by handle (`name@host[:port]`, with or without a leading `@`) or by
/// actor URL. Anything not listed is 404.
pub async fn listing(node: &Node, key: &str) -> Result<Listing, AppError> {
    let key = key.trim();
    let not_found = || AppError::NotFound("no co-op with that handle is listed here".into());
    let mut conn = node.db.acquire().await?;
    let row = if key.starts_with("https://") || key.starts_with("http://") {
        queries::listed(&mut conn, key).await?
    } else {
        let bare = key.strip_prefix('@').unwrap_or(key);
        if !bare.contains('@') || bare.starts_with('@') {
            return Err(not_found());
        }
        queries::listed_by_handle(&mut conn, &format!("@{bare}"), bare).await?
    };
    let row = row.ok_or_else(not_found)?;
    let mut listings = with_sectors(&mut conn, vec![row]).await?;
    listings.pop().ok_or_else(not_found)
}
