//! What to browse: the query, its order, its page, and its filters checked against the
//! closed vocabularies.

use crate::AppError;
use crate::content::vocab::{LegalForm, MembershipType, Nation, Region, Sector};
use crate::db::directory_queries::ListingFilter;
use crate::db::directory_search;

use super::{DEFAULT_PER_PAGE, MAX_PER_PAGE};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::index::story_kind;

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
}
