//! The directory index: browse, facets and search, shared by HTML, JSON, the CLI and exports.
//! Every function here shows listed actors only. Filter values are checked against the
//! closed vocabularies; a bad one is a 422 naming the field and the allowed values.

use std::collections::{BTreeMap, HashMap};

use crate::AppError;
use crate::app::Node;
use crate::content::vocab::{LegalForm, MembershipType, Nation, Region, Sector};
use crate::db::Conn;
use crate::db::directory_queries::{self as queries, ListingFilter, Order, PlaceFormCount};
use crate::db::directory_search;
use crate::db::listings::{ListingRow, ListingStoryRow};

/// Listings per page unless asked otherwise.
pub const DEFAULT_PER_PAGE: i64 = 20;
/// The most listings (or stories) one page holds.
pub const MAX_PER_PAGE: i64 = 100;
/// The kinds of story the directory tells apart.
pub const STORY_KINDS: &[&str] = &["story", "research", "news", "event"];

/// What to browse: search words, facet values (vocabulary slugs), order and page.
/// Empty strings count as not given.
#[derive(Debug, Clone, Default)]
pub struct BrowseQuery {
    pub q: Option<String>,
    pub nation: Option<String>,
    pub region: Option<String>,
    pub sector: Option<String>,
    pub membership_type: Option<String>,
    pub legal_form: Option<String>,
    pub sort: Sort,
    /// 1-based; 0 (or less) is the first page.
    pub page: i64,
    /// 0 (or less) means 20; at most 100.
    pub per_page: i64,
}

/// The order of a browse. With search words, `Name` (the default) puts the best match
/// first, then orders by name.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub enum Sort {
    #[default]
    Name,
    /// Most recently listed first.
    Newest,
    /// Most recently active (posted or boosted) first; never-active co-ops last.
    Active,
}

impl Sort {
    /// Every order, in the order pages offer them.
    pub const ALL: &'static [Sort] = &[Sort::Name, Sort::Newest, Sort::Active];

    /// Parses `name`, `newest` or `active` (`relevance` is accepted for `name`).
    pub fn parse(value: &str) -> Result<Sort, AppError> {
        match value.trim().to_ascii_lowercase().as_str() {
            "" | "name" | "relevance" => Ok(Sort::Name),
            "newest" => Ok(Sort::Newest),
            "active" => Ok(Sort::Active),
            _ => Err(AppError::Invalid(format!(
                "sort: '{value}' is not one of name, newest, active"
            ))),
        }
    }

    /// The value as written in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Name => "name",
            Sort::Newest => "newest",
            Sort::Active => "active",
        }
    }
}

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

/// Counts per facet value (listed co-ops only). Each facet counts the co-ops that match
/// the search and every *other* facet filter, so its values are the choices still open;
/// the selected value's count equals the total. Sorted by count, most first.
#[derive(Debug, Clone, Default)]
pub struct Facets {
    pub nations: Vec<(String, i64)>,
    pub regions: Vec<(String, i64)>,
    pub sectors: Vec<(String, i64)>,
    pub membership_types: Vec<(String, i64)>,
    pub legal_forms: Vec<(String, i64)>,
}

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

/// The page number actually used for `page` (at least 1).
pub fn page_number(page: i64) -> i64 {
    page.max(1)
}

/// The page size actually used for `per_page` (20 when not positive, at most 100).
pub fn page_size(per_page: i64) -> i64 {
    if per_page <= 0 {
        DEFAULT_PER_PAGE
    } else {
        per_page.min(MAX_PER_PAGE)
    }
}

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

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl BrowseQuery {
    /// The checked filters: vocabulary slugs and search words.
    pub fn filter(&self) -> Result<ListingFilter, AppError> {
        let slug = |value: &Option<String>, parse: fn(&str) -> Result<&'static str, AppError>| {
            given(value)
                .map(parse)
                .transpose()
                .map(|v| v.map(str::to_string))
        };
        Ok(ListingFilter {
            terms: given(&self.q)
                .map(directory_search::terms)
                .unwrap_or_default(),
            nation: slug(&self.nation, |v| Nation::parse(v).map(Nation::as_str))?,
            region: slug(&self.region, |v| Region::parse(v).map(Region::as_str))?,
            sector: slug(&self.sector, |v| Sector::parse(v).map(Sector::as_str))?,
            membership_type: slug(&self.membership_type, |v| {
                MembershipType::parse(v).map(MembershipType::as_str)
            })?,
            legal_form: slug(&self.legal_form, |v| {
                LegalForm::parse(v).map(LegalForm::as_str)
            })?,
        })
    }
}

fn order_of(sort: Sort) -> Order {
    match sort {
        Sort::Name => Order::Name,
        Sort::Newest => Order::Newest,
        Sort::Active => Order::Active,
    }
}

/// Which facet a count is for (that facet's own filter is left out).
#[derive(Clone, Copy, PartialEq)]
enum Dim {
    Nation,
    Region,
    Membership,
    LegalForm,
}

/// Whether a (nation, region, membership, legal form) count matches the filters,
/// leaving out `skip`'s.
fn admits(f: &ListingFilter, c: &PlaceFormCount, skip: Option<Dim>) -> bool {
    let ok = |dim: Dim, want: &Option<String>, have: &Option<String>| {
        skip == Some(dim) || want.is_none() || want == have
    };
    ok(Dim::Nation, &f.nation, &c.0)
        && ok(Dim::Region, &f.region, &c.1)
        && ok(Dim::Membership, &f.membership_type, &c.2)
        && ok(Dim::LegalForm, &f.legal_form, &c.3)
}

fn sorted(counts: impl IntoIterator<Item = (String, i64)>) -> Vec<(String, i64)> {
    let mut list: Vec<(String, i64)> = counts.into_iter().filter(|(_, n)| *n > 0).collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list
}

fn tally(
    f: &ListingFilter,
    combos: &[PlaceFormCount],
    dim: Dim,
    pick: fn(&PlaceFormCount) -> &Option<String>,
) -> Vec<(String, i64)> {
    let mut counts: BTreeMap<String, i64> = BTreeMap::new();
    for c in combos.iter().filter(|c| admits(f, c, Some(dim))) {
        if let Some(value) = pick(c) {
            *counts.entry(value.clone()).or_default() += c.4;
        }
    }
    sorted(counts)
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

/// The newest stories across the movement, of one kind (`story`, `research`, `news`,
/// `event`) or all, each with its co-op; and how many there are in all.
pub async fn latest_stories(
    node: &Node,
    kind: Option<&str>,
    page: i64,
    per_page: i64,
) -> Result<(Vec<(ListingStoryRow, Listing)>, i64), AppError> {
    let kind = kind
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(story_kind)
        .transpose()?;
    let page = page_number(page);
    let per_page = page_size(per_page);
    let offset = (page - 1).saturating_mul(per_page);
    let mut conn = node.db.acquire().await?;
    let total = queries::count_stories(&mut conn, kind).await?;
    if offset >= total {
        return Ok((Vec::new(), total));
    }
    let stories = queries::latest_stories(&mut conn, kind, per_page, offset).await?;
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

/// How many co-ops are listed.
pub async fn count_listed(node: &Node) -> Result<i64, AppError> {
    let mut conn = node.db.acquire().await?;
    Ok(queries::count_listed(&mut conn).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_facet_values_name_their_field() {
        let q = BrowseQuery {
            sector: Some("opera".into()),
            ..Default::default()
        };
        let err = q.filter().unwrap_err();
        assert!(matches!(err, AppError::Invalid(_)));
        assert!(err.to_string().starts_with("sector: 'opera'"), "{err}");
        let err = Sort::parse("best").unwrap_err().to_string();
        assert!(err.starts_with("sort: 'best'"), "{err}");
        let err = story_kind("gossip").unwrap_err().to_string();
        assert!(err.starts_with("kind: 'gossip'"), "{err}");
    }

    #[test]
    fn empty_values_are_not_filters() {
        let q = BrowseQuery {
            q: Some("  ".into()),
            nation: Some(String::new()),
            region: Some("London".into()),
            ..Default::default()
        };
        let f = q.filter().unwrap();
        assert!(f.terms.is_empty());
        assert_eq!(f.nation, None);
        assert_eq!(f.region.as_deref(), Some("london"));
    }

    #[test]
    fn search_text_becomes_plain_words() {
        let f = BrowseQuery {
            q: Some("The Films of \"Wales\" AND near* -films body:x".into()),
            ..Default::default()
        };
        assert_eq!(
            f.filter().unwrap().terms,
            ["films", "wales", "near", "body", "x"]
        );
        assert!(directory_search::terms("(( the !").is_empty());
        assert_eq!(directory_search::terms(&"w ".repeat(40)).len(), 1);
        let many: String = (0..40).map(|i| format!("word{i} ")).collect();
        assert_eq!(directory_search::terms(&many).len(), 16);
    }

    #[test]
    fn pages_are_clamped() {
        assert_eq!(page_number(0), 1);
        assert_eq!(page_number(-3), 1);
        assert_eq!(page_size(0), 20);
        assert_eq!(page_size(500), 100);
        assert_eq!(page_size(7), 7);
    }

    #[test]
    fn facets_leave_out_their_own_filter() {
        let f = ListingFilter {
            nation: Some("wales".into()),
            legal_form: Some("cic".into()),
            ..Default::default()
        };
        let s = |v: &str| Some(v.to_string());
        let combos: Vec<PlaceFormCount> = vec![
            (s("wales"), None, None, s("cic"), 2),
            (s("england"), s("london"), None, s("cic"), 3),
            (s("wales"), None, None, s("society"), 4),
        ];
        assert_eq!(
            tally(&f, &combos, Dim::Nation, |c| &c.0),
            vec![("england".to_string(), 3), ("wales".to_string(), 2)]
        );
        assert_eq!(
            tally(&f, &combos, Dim::LegalForm, |c| &c.3),
            vec![("society".to_string(), 4), ("cic".to_string(), 2)]
        );
        let total: i64 = combos
            .iter()
            .filter(|c| admits(&f, c, None))
            .map(|c| c.4)
            .sum();
        assert_eq!(total, 2);
    }
}
