//! Stories: the movement's newest, counts by kind, and one co-op's own.

use std::collections::HashMap;

use crate::AppError;
use crate::app::Node;
use crate::content::vocab::{Nation, Sector};
use crate::db::directory_queries::{self as queries, StoryFilter};
use crate::db::listings::ListingStoryRow;

use super::{Listing, MAX_PER_PAGE, STORY_KINDS, page_number, page_size, with_sectors};

/// Checks a story kind, naming the allowed ones on failure.
pub fn story_kind(value: &str) -> Result<&'static str, AppError> {
    let wanted = value.trim().to_ascii_lowercase();
    STORY_KINDS
        .iter()
        .copied()
        .find(|k| *k == wanted)
        .ok_or_else(|| {
            AppError::Invalid(format!(
                "kind: '{value}' is not one of {}",
                STORY_KINDS.join(", ")
            ))
        })
}

/// Which stories, as given in a URL: `kind`, `nation`, `sector` (empty values are none).
/// A bad value is a 422 naming the field and the allowed values.
pub fn story_filter(
    kind: Option<&str>,
    nation: Option<&str>,
    sector: Option<&str>,
) -> Result<StoryFilter, AppError> {
    let given = |v: Option<&str>| {
        v.map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    Ok(StoryFilter {
        kind: given(kind)
            .map(|k| story_kind(&k))
            .transpose()?
            .map(str::to_string),
        nation: given(nation)
            .map(|n| Nation::parse(&n).map(|n| n.as_str().to_string()))
            .transpose()?,
        sector: given(sector)
            .map(|s| Sector::parse(&s).map(|s| s.as_str().to_string()))
            .transpose()?,
    })
}

/// The newest stories across the movement that match `filter` (see [`story_filter`]),
/// each with its co-op; and how many there are in all.
pub async fn latest_stories(
    node: &Node,
    filter: &StoryFilter,
    page: i64,
    per_page: i64,
) -> Result<(Vec<(ListingStoryRow, Listing)>, i64), AppError> {
    let page = page_number(page);
    let per_page = page_size(per_page);
    let offset = (page - 1).saturating_mul(per_page);
    let mut conn = node.db.acquire().await?;
    let total = queries::count_stories(&mut conn, filter).await?;
    if offset >= total {
        return Ok((Vec::new(), total));
    }
    let stories = queries::latest_stories(&mut conn, filter, per_page, offset).await?;
    let mut ids: Vec<String> = stories.iter().map(|s| s.actor_id.clone()).collect();
    ids.sort();
    ids.dedup();
    let rows = queries::listed_among(&mut conn, &ids).await?;
    let by_id: HashMap<String, Listing> = with_sectors(&mut conn, rows)
        .await?
        .into_iter()
        .map(|l| (l.row.actor_id.clone(), l))
        .collect();
    let items = stories
        .into_iter()
        .filter_map(|s| by_id.get(&s.actor_id).cloned().map(|l| (s, l)))
        .collect();
    Ok((items, total))
}

/// How many stories of each kind the listed co-ops have, in [`STORY_KINDS`] order
/// (kinds with none left out).
pub async fn story_kind_counts(node: &Node) -> Result<Vec<(String, i64)>, AppError> {
    let mut conn = node.db.acquire().await?;
    let counts: HashMap<String, i64> = queries::story_kind_counts(&mut conn)
        .await?
        .into_iter()
        .collect();
    Ok(STORY_KINDS
        .iter()
        .filter_map(|k| counts.get(*k).map(|n| (k.to_string(), *n)))
        .filter(|(_, n)| *n > 0)
        .collect())
}

/// The newest stories of one listed co-op (at most `limit`, at most 100).
pub async fn stories_of(
    node: &Node,
    actor_id: &str,
    limit: i64,
) -> Result<Vec<ListingStoryRow>, AppError> {
    let mut conn = node.db.acquire().await?;
    Ok(queries::stories_of(&mut conn, actor_id, limit.clamp(1, MAX_PER_PAGE)).await?)
}
