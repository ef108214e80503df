//! Picking one page of hits from the catalogue in the browse's order, without sorting
//! every hit: the first `offset + limit` are selected, and only those sorted.

use std::cmp::Ordering;
use std::collections::HashMap;

use super::Sort;
use super::catalogue::{Entries, Entry};

/// Newest first, with entries that have no date last.
fn newest_first(a: Option<i64>, b: Option<i64>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => b.cmp(&a),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn by_name(a: &Entry, b: &Entry) -> Ordering {
    a.name_key
        .cmp(&b.name_key)
        .then_with(|| a.actor_id.cmp(&b.actor_id))
}

/// The actor ids of hits `offset .. offset + limit` in `sort`'s order. With `scores`
/// (a search sorted by name), hits are ranked by score first, lowest best; hits without a
/// score come after those with one.
pub(super) fn page(
    entries: &Entries,
    hits: &[u32],
    sort: Sort,
    scores: Option<&HashMap<i64, f64>>,
    offset: usize,
    limit: usize,
) -> Vec<String> {
    let mut list: Vec<(&Entry, Option<f64>)> = hits
        .iter()
        .filter_map(|&slot| entries.get(slot))
        .map(|e| {
            let score = scores.and_then(|s| s.get(&e.docid?).copied());
            (e, score)
        })
        .collect();
    let compare = |a: &(&Entry, Option<f64>), b: &(&Entry, Option<f64>)| {
        let first = match (sort, scores.is_some()) {
            (Sort::Name, true) => match (a.1, b.1) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            },
            (Sort::Name, false) => Ordering::Equal,
            (Sort::Newest, _) => newest_first(a.0.listed_at, b.0.listed_at),
            (Sort::Active, _) => newest_first(a.0.last_active_at, b.0.last_active_at),
        };
        first.then_with(|| by_name(a.0, b.0))
    };
    let wanted = offset.saturating_add(limit);
    if wanted == 0 || offset >= list.len() {
        return Vec::new();
    }
    if wanted < list.len() {
        list.select_nth_unstable_by(wanted - 1, compare);
        list.truncate(wanted);
    }
    list.sort_unstable_by(compare);
    list.into_iter()
        .skip(offset)
        .map(|(e, _)| e.actor_id.clone())
        .collect()
}
