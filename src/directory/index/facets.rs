//! Facet counts and the filtered set, counted over the catalogue in one pass.

use std::collections::HashSet;

use crate::db::directory_queries::ListingFilter;

use super::catalogue::{Dim, Entries};

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

/// What one pass over the catalogue found.
pub(super) struct Tally {
    pub facets: Facets,
    /// The slots of the entries matching everything: the browse's results, unordered.
    pub hits: Vec<u32>,
}

/// The filter as catalogue codes: `None` where a facet is not filtered.
struct Codes {
    dims: [Option<u16>; 4],
    /// The sector's bit; 0 (no entry has it) for a sector never seen.
    sector: Option<u64>,
}

fn codes(entries: &Entries, f: &ListingFilter) -> Codes {
    let wanted = [&f.nation, &f.region, &f.membership_type, &f.legal_form];
    let dims = Dim::ALL.map(|d| {
        wanted[d as usize]
            .as_deref()
            .map(|v| entries.values[d as usize].find(v))
    });
    let sector = f.sector.as_deref().map(|v| match entries.sectors.find(v) {
        code @ 1..=64 => 1u64 << (code - 1),
        _ => 0,
    });
    Codes { dims, sector }
}

/// Counts the facets and collects the hits among the entries whose search document is in
/// `matches` (every entry when there is no search).
pub(super) fn tally(entries: &Entries, f: &ListingFilter, matches: Option<&[i64]>) -> Tally {
    let want = codes(entries, f);
    let mut dim_counts: [Vec<i64>; 4] =
        Dim::ALL.map(|d| vec![0; entries.values[d as usize].len() + 1]);
    let mut sector_counts = [0i64; 64];
    let mut hits = Vec::new();
    let mut count = |slot: u32| {
        let Some(e) = entries.get(slot) else { return };
        let pass = Dim::ALL.map(|d| want.dims[d as usize].is_none_or(|c| c == e.codes[d as usize]));
        let sector_ok = want.sector.is_none_or(|bit| e.sectors & bit != 0);
        let failed = pass.iter().filter(|p| !**p).count() + usize::from(!sector_ok);
        if failed == 0 {
            hits.push(slot);
        }
        if failed > 1 {
            return;
        }
        // With at most one filter failed, the facet of that filter (or every facet, when
        // none failed) counts this entry.
        for d in Dim::ALL {
            if (failed == 0 || !pass[d as usize]) && e.codes[d as usize] != 0 {
                dim_counts[d as usize][e.codes[d as usize] as usize] += 1;
            }
        }
        if failed == 0 || !sector_ok {
            let mut bits = e.sectors;
            while bits != 0 {
                sector_counts[bits.trailing_zeros() as usize] += 1;
                bits &= bits - 1;
            }
        }
    };
    match matches {
        Some(docids) => {
            let mut seen = HashSet::with_capacity(docids.len());
            for docid in docids {
                if let Some(&slot) = entries.by_docid.get(docid)
                    && seen.insert(slot)
                {
                    count(slot);
                }
            }
        }
        None => entries.iter().for_each(|(slot, _)| count(slot)),
    }
    let named = |d: Dim| {
        sorted(
            dim_counts[d as usize]
                .iter()
                .enumerate()
                .skip(1)
                .map(|(code, n)| (entries.values[d as usize].name(code).to_string(), *n)),
        )
    };
    let facets = Facets {
        nations: named(Dim::Nation),
        regions: named(Dim::Region),
        membership_types: named(Dim::Membership),
        legal_forms: named(Dim::LegalForm),
        sectors: sorted(
            sector_counts
                .iter()
                .enumerate()
                .take(entries.sectors.len())
                .map(|(bit, n)| (entries.sectors.name(bit + 1).to_string(), *n)),
        ),
    };
    Tally { facets, hits }
}

fn sorted(counts: impl IntoIterator<Item = (String, i64)>) -> Vec<(String, i64)> {
    let mut list: Vec<(String, i64)> = counts.into_iter().filter(|(_, n)| *n > 0).collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list
}
