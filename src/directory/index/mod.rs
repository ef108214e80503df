//! The directory index: browse, facets and search, shared by HTML, JSON, the CLI and exports.
//! Every function here shows listed actors only. Filter values are checked against the
//! closed vocabularies; a bad one is a 422 naming the field and the allowed values.

mod browse;
mod catalogue;
mod facets;
mod order;
mod query;
mod stories;

use std::collections::HashMap;

use crate::AppError;
use crate::app::Node;
use crate::db::Conn;
use crate::db::directory_queries as queries;
use crate::db::listings::ListingRow;

pub use crate::db::directory_queries::StoryFilter;
pub use browse::{BrowsePage, browse, export, listing};
pub use catalogue::Catalogue;
pub use facets::Facets;
pub use query::{BrowseQuery, Sort, page_number, page_size};
pub use stories::{latest_stories, stories_of, story_filter, story_kind, story_kind_counts};

/// Listings per page unless asked otherwise.
pub const DEFAULT_PER_PAGE: i64 = 20;
/// The most listings (or stories) one page holds.
pub const MAX_PER_PAGE: i64 = 100;
/// The kinds of story the directory tells apart.
pub const STORY_KINDS: &[&str] = crate::content::stories::KINDS;

/// A listed actor with its sectors.
#[derive(Debug, Clone)]
pub struct Listing {
    pub row: ListingRow,
    pub sectors: Vec<String>,
}

impl Listing {
    /// The fediverse handle, `@name@host`, when known.
    pub fn handle(&self) -> Option<String> {
        let h = self.row.handle.as_deref()?.trim_start_matches('@');
        (!h.is_empty()).then(|| format!("@{h}"))
    }

    /// What names this listing in directory URLs: `name@host`, or its actor URL.
    pub fn key(&self) -> String {
        match self.handle() {
            Some(h) => h.trim_start_matches('@').to_string(),
            None => self.row.actor_id.clone(),
        }
    }

    /// The name to show: the listing's name, else its handle, else its actor URL.
    pub fn display_name(&self) -> String {
        let name = self.row.name.trim();
        if !name.is_empty() {
            return name.to_string();
        }
        self.handle().unwrap_or_else(|| self.row.actor_id.clone())
    }
}

/// Attaches their sectors to listing rows, keeping their order.
async fn with_sectors(conn: &mut Conn, rows: Vec<ListingRow>) -> Result<Vec<Listing>, AppError> {
    let ids: Vec<String> = rows.iter().map(|r| r.actor_id.clone()).collect();
    let mut sectors: HashMap<String, Vec<String>> = HashMap::new();
    for (actor_id, sector) in queries::sectors_of(conn, &ids).await? {
        sectors.entry(actor_id).or_default().push(sector);
    }
    Ok(rows
        .into_iter()
        .map(|row| Listing {
            sectors: sectors.remove(&row.actor_id).unwrap_or_default(),
            row,
        })
        .collect())
}

/// Listed co-ops per decade founded, oldest first: (first year of the decade, count).
pub async fn founded_decades(node: &Node) -> Result<Vec<(i64, i64)>, AppError> {
    let mut conn = node.db.acquire().await?;
    Ok(queries::founded_decades(&mut conn).await?)
}

/// How many co-ops are listed.
pub async fn count_listed(node: &Node) -> Result<i64, AppError> {
    let mut conn = node.db.acquire().await?;
    Ok(queries::count_listed(&mut conn).await?)
}
