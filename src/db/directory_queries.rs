//! Read queries over the directory index (listings, sectors, stories, search). Only
//! listings in state `listed` are ever returned. Queries with optional filters are put
//! together from static fragments by [`Sql`]; every value is bound, never spliced in.
//! Full-text matching comes from `directory_search` (the dialect spot).

use std::sync::LazyLock;

use super::listings::{COLUMNS, ListingRow, ListingStoryRow};
use super::sql::{Sql, Value};
use super::{Conn, directory_search};

/// The filters of a listing query, already validated (vocabulary slugs, search words).
#[derive(Debug, Clone, Default)]
pub struct ListingFilter {
    /// Search words (see `directory_search::terms`); empty means no search.
    pub terms: Vec<String>,
    pub nation: Option<String>,
    pub region: Option<String>,
    pub sector: Option<String>,
    pub membership_type: Option<String>,
    pub legal_form: Option<String>,
}

impl Sql {
    /// `FROM listings l`, the search join and the `WHERE` clause of `f`.
    fn push_from_where(&mut self, conn: &Conn, f: &ListingFilter) {
        self.push(" FROM listings l", []);
        if let Some(v) = &f.sector {
            self.push(
                " JOIN listing_sectors fs ON fs.actor_id = l.actor_id AND fs.sector = ?",
                [Self::text_value(v)],
            );
        }
        if !f.terms.is_empty() {
            self.push(" JOIN ", []);
            self.push(
                directory_search::matching_actors(conn),
                [Value::Text(directory_search::match_value(conn, &f.terms))],
            );
            self.push(" s ON s.actor_id = l.actor_id", []);
        }
        self.push(" WHERE l.state = 'listed'", []);
        if let Some(v) = &f.nation {
            self.push(" AND l.nation = ?", [Self::text_value(v)]);
        }
        if let Some(v) = &f.region {
            self.push(" AND l.region = ?", [Self::text_value(v)]);
        }
        if let Some(v) = &f.membership_type {
            self.push(" AND l.membership_type = ?", [Self::text_value(v)]);
        }
        if let Some(v) = &f.legal_form {
            self.push(" AND l.legal_form = ?", [Self::text_value(v)]);
        }
    }
}

/// `l.actor_id, l.state, …`: every listing column, prefixed for joins.
static LISTING_COLUMNS: LazyLock<String> = LazyLock::new(|| {
    COLUMNS
        .split(',')
        .map(|c| format!("l.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
});

/// `st.id, st.actor_id, …`: every story column, prefixed for joins.
const STORY_COLUMNS: &str =
    "st.id, st.actor_id, st.title, st.content, st.url, st.kind, st.published_at";

fn select_listings() -> Sql {
    let mut sql = Sql::new("SELECT ");
    sql.push(LISTING_COLUMNS.as_str(), []);
    sql
}

/// Listed listings matching `f`, in actor-id order after `after` (for exports in chunks).
pub async fn after(
    conn: &mut Conn,
    f: &ListingFilter,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<ListingRow>, sqlx::Error> {
    let mut sql = select_listings();
    sql.push_from_where(conn, f);
    if let Some(after) = after {
        sql.push(" AND l.actor_id > ?", [Sql::text_value(after)]);
    }
    sql.push(" ORDER BY l.actor_id LIMIT ?", [Value::Int(limit)]);
    sql.fetch_all(conn).await
}

/// The sectors of the given listings, as (actor id, sector) pairs in sector order.
pub async fn sectors_of(
    conn: &mut Conn,
    actor_ids: &[String],
) -> Result<Vec<(String, String)>, sqlx::Error> {
    if actor_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new("SELECT actor_id, sector FROM listing_sectors WHERE actor_id");
    sql.in_list(actor_ids);
    sql.push(" ORDER BY sector", []);
    sql.fetch_all(conn).await
}

/// The listed listings among `actor_ids`.
pub async fn listed_among(
    conn: &mut Conn,
    actor_ids: &[String],
) -> Result<Vec<ListingRow>, sqlx::Error> {
    if actor_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = select_listings();
    sql.push(
        " FROM listings l WHERE l.state = 'listed' AND l.actor_id",
        [],
    );
    sql.in_list(actor_ids);
    sql.fetch_all(conn).await
}

/// A listed listing by actor id.
pub async fn listed(conn: &mut Conn, actor_id: &str) -> Result<Option<ListingRow>, sqlx::Error> {
    let mut sql = select_listings();
    sql.push(
        " FROM listings l WHERE l.state = 'listed' AND l.actor_id = ?",
        [Sql::text_value(actor_id)],
    );
    sql.fetch_optional(conn).await
}

/// A listed listing by handle (`@name@host`; both spellings given are tried).
pub async fn listed_by_handle(
    conn: &mut Conn,
    handle: &str,
    other_spelling: &str,
) -> Result<Option<ListingRow>, sqlx::Error> {
    let mut sql = select_listings();
    sql.push(
        " FROM listings l WHERE l.state = 'listed' AND (l.handle = ? OR l.handle = ?) \
         ORDER BY l.actor_id LIMIT 1",
        [Sql::text_value(handle), Sql::text_value(other_spelling)],
    );
    sql.fetch_optional(conn).await
}

/// How many listings are listed.
pub async fn count_listed(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM listings WHERE state = 'listed'")
        .fetch_one(conn)
        .await
}

/// Listed listings per decade founded (1990 for 1990–1999), oldest first; listings
/// without a year are left out.
pub async fn founded_decades(conn: &mut Conn) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT (founded / 10) * 10 AS decade, COUNT(*) FROM listings \
         WHERE state = 'listed' AND founded IS NOT NULL GROUP BY (founded / 10) * 10 ORDER BY decade",
    )
    .fetch_all(conn)
    .await
}

/// Which of the directory's stories: of a kind, of co-ops in a nation or sector (values
/// already checked); `Default` is all.
#[derive(Debug, Clone, Default)]
pub struct StoryFilter {
    pub kind: Option<String>,
    pub nation: Option<String>,
    pub sector: Option<String>,
}

/// Stories shown by the directory: those of listed, indexable actors, matching `f`.
fn stories_from(sql: &mut Sql, f: &StoryFilter) {
    sql.push(
        " FROM listing_stories st JOIN listings l ON l.actor_id = st.actor_id \
         WHERE l.state = 'listed' AND l.indexable <> 0",
        [],
    );
    if let Some(kind) = &f.kind {
        sql.push(" AND st.kind = ?", [Sql::text_value(kind)]);
    }
    if let Some(nation) = &f.nation {
        sql.push(" AND l.nation = ?", [Sql::text_value(nation)]);
    }
    if let Some(sector) = &f.sector {
        sql.push(
            " AND EXISTS (SELECT 1 FROM listing_sectors fs WHERE fs.actor_id = l.actor_id AND fs.sector = ?)",
            [Sql::text_value(sector)],
        );
    }
}

/// The newest stories across listed actors that match `f`.
pub async fn latest_stories(
    conn: &mut Conn,
    f: &StoryFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<ListingStoryRow>, sqlx::Error> {
    let mut sql = Sql::new("SELECT ");
    sql.push(STORY_COLUMNS, []);
    stories_from(&mut sql, f);
    sql.push(
        " ORDER BY st.published_at DESC, st.id LIMIT ? OFFSET ?",
        [Value::Int(limit), Value::Int(offset)],
    );
    sql.fetch_all(conn).await
}

/// How many stories [`latest_stories`] has in all.
pub async fn count_stories(conn: &mut Conn, f: &StoryFilter) -> Result<i64, sqlx::Error> {
    let mut sql = Sql::new("SELECT COUNT(*)");
    stories_from(&mut sql, f);
    sql.fetch_count(conn).await
}

/// How many stories of each kind listed actors have.
pub async fn story_kind_counts(conn: &mut Conn) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let mut sql = Sql::new("SELECT st.kind, COUNT(*)");
    stories_from(&mut sql, &StoryFilter::default());
    sql.push(" GROUP BY st.kind", []);
    sql.fetch_all(conn).await
}

/// The newest stories of one listed actor.
pub async fn stories_of(
    conn: &mut Conn,
    actor_id: &str,
    limit: i64,
) -> Result<Vec<ListingStoryRow>, sqlx::Error> {
    let mut sql = Sql::new("SELECT ");
    sql.push(STORY_COLUMNS, []);
    stories_from(&mut sql, &StoryFilter::default());
    sql.push(
        " AND st.actor_id = ? ORDER BY st.published_at DESC, st.id LIMIT ?",
        [Sql::text_value(actor_id), Value::Int(limit)],
    );
    sql.fetch_all(conn).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing_columns_are_prefixed() {
        assert!(LISTING_COLUMNS.starts_with("l.actor_id, l.state, "));
        assert!(LISTING_COLUMNS.ends_with("l.delisted_reason"));
        assert!(!LISTING_COLUMNS.contains("l. "));
    }
}
