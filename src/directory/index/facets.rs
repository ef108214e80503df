//! Facet counts: for each facet, how many listed co-ops match everything else asked.

use std::collections::BTreeMap;

use crate::db::directory_queries::{ListingFilter, PlaceFormCount};

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

/// Which facet a count is for (that facet's own filter is left out).
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Dim {
    Nation,
    Region,
    Membership,
    LegalForm,
}

/// Whether a (nation, region, membership, legal form) count matches the filters,
/// leaving out `skip`'s.
pub(super) fn admits(f: &ListingFilter, c: &PlaceFormCount, skip: Option<Dim>) -> bool {
    let ok = |dim: Dim, want: &Option<String>, have: &Option<String>| {
        skip == Some(dim) || want.is_none() || want == have
    };
    ok(Dim::Nation, &f.nation, &c.0)
        && ok(Dim::Region, &f.region, &c.1)
        && ok(Dim::Membership, &f.membership_type, &c.2)
        && ok(Dim::LegalForm, &f.legal_form, &c.3)
}

pub(super) fn sorted(counts: impl IntoIterator<Item = (String, i64)>) -> Vec<(String, i64)> {
    let mut list: Vec<(String, i64)> = counts.into_iter().filter(|(_, n)| *n > 0).collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list
}

pub(super) fn tally(
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

#[cfg(test)]
mod tests {
    use super::*;

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
