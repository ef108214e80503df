//! Browsing the listed co-ops: a page with facets, the export walk, and one listing.

use crate::AppError;
use crate::app::Node;
use std::collections::HashMap;

use crate::db::directory_queries as queries;
use crate::db::directory_search;

use super::catalogue::Entries;
use super::facets::tally;
use super::{BrowseQuery, Facets, Listing, Sort, order, page_number, page_size, with_sectors};

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

/// Browses the listed co-ops: filters, search (ranked when sorted by name), a page of
/// results, the total and the facet counts. Counting and ordering run over the in-memory
/// catalogue (brought up to date first); the database answers the search and the page.
pub async fn browse(node: &Node, query: &BrowseQuery) -> Result<BrowsePage, AppError> {
    let f = query.filter()?;
    let page = page_number(query.page);
    let per_page = page_size(query.per_page);
    node.catalogue.refresh(&node.db).await?;
    let mut conn = node.db.acquire().await?;
    let matches = if f.terms.is_empty() {
        None
    } else {
        Some(directory_search::matching(&mut conn, &f.terms).await?)
    };
    let (facets, hits, generation) = node.catalogue.read(|entries| {
        let t = tally(entries, &f, matches.as_deref());
        (t.facets, t.hits, entries.generation)
    });
    let total = hits.len() as i64;
    let offset = (page - 1).saturating_mul(per_page);
    let scores = if matches.is_some() && query.sort == Sort::Name {
        let docids = node
            .catalogue
            .read(|entries| docids_of(entries, &hits, generation));
        Some(directory_search::scores(&mut conn, &f.terms, &docids).await?)
    } else {
        None
    };
    let ids = node.catalogue.read(|entries| {
        // A load between the two reads may have moved entries: count again.
        let hits = if entries.generation == generation {
            hits
        } else {
            tally(entries, &f, matches.as_deref()).hits
        };
        order::page(
            entries,
            &hits,
            query.sort,
            scores.as_ref(),
            usize::try_from(offset).unwrap_or(usize::MAX),
            usize::try_from(per_page).unwrap_or(0),
        )
    });
    let rows = queries::listed_among(&mut conn, &ids).await?;
    let items = in_order(with_sectors(&mut conn, rows).await?, &ids);
    Ok(BrowsePage {
        items,
        total,
        page,
        per_page,
        facets,
    })
}

/// The search documents of `hits` (slots of `generation`; none if it has passed).
fn docids_of(entries: &Entries, hits: &[u32], generation: u64) -> Vec<i64> {
    if entries.generation != generation {
        return Vec::new();
    }
    hits.iter()
        .filter_map(|&slot| entries.get(slot)?.docid)
        .collect()
}

/// `listings` in the order of `ids` (those gone meanwhile are left out).
fn in_order(listings: Vec<Listing>, ids: &[String]) -> Vec<Listing> {
    let mut by_id: HashMap<String, Listing> = listings
        .into_iter()
        .map(|l| (l.row.actor_id.clone(), l))
        .collect();
    ids.iter().filter_map(|id| by_id.remove(id)).collect()
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
