//! The catalogue: every listed co-op's facet values and sort keys, in memory, so a browse
//! counts its facets and picks its page in microseconds per co-op instead of joining each
//! match through SQL three times (docs/performance.md, `directory_browse`).
//!
//! The database stays the truth. Each process loads the catalogue on its first browse and
//! then, before every browse, reads one number (`db::listing_catalogue::version`) and
//! reloads only the listings changed since, so a change made by any process (a `serve`
//! next to it, or the CLI) shows on the next browse, and a delisted co-op is gone at once.

use std::collections::HashMap;
use std::sync::RwLock;

use crate::AppError;
use crate::db::Db;
use crate::db::directory_queries as queries;
use crate::db::listing_catalogue::{self as rows, CatalogueRow};

/// A listed co-op as the catalogue keeps it.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    pub actor_id: String,
    pub docid: Option<i64>,
    /// The name, lower-cased: the name order.
    pub name_key: String,
    /// Codes of nation, region, membership type and legal form (0: none); see [`Dim`].
    pub codes: [u16; 4],
    /// One bit per sector code.
    pub sectors: u64,
    pub listed_at: Option<i64>,
    pub last_active_at: Option<i64>,
}

/// The four single-valued facets, in the order of [`Entry::codes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dim {
    Nation = 0,
    Region = 1,
    Membership = 2,
    LegalForm = 3,
}

impl Dim {
    pub const ALL: [Dim; 4] = [Dim::Nation, Dim::Region, Dim::Membership, Dim::LegalForm];
}

/// More listings changed than this since the last load means a full load instead.
const MAX_INCREMENTAL: i64 = 5_000;

/// At most this many distinct sectors are told apart (the vocabulary has 15): one bit each.
const MAX_SECTORS: usize = 64;

/// Facet values seen, each with its code (its position plus one; 0 is "none").
#[derive(Debug, Default)]
pub(super) struct Values(Vec<String>);

impl Values {
    fn code(&mut self, value: Option<&str>) -> u16 {
        let Some(value) = value else { return 0 };
        if let Some(i) = self.0.iter().position(|v| v == value) {
            return i as u16 + 1;
        }
        self.0.push(value.to_string());
        self.0.len() as u16
    }

    /// The code of a filter value; a value never seen gets a code no entry has.
    pub fn find(&self, value: &str) -> u16 {
        self.0
            .iter()
            .position(|v| v == value)
            .map_or(u16::MAX, |i| i as u16 + 1)
    }

    /// The value of a code (not 0).
    pub fn name(&self, code: usize) -> &str {
        self.0.get(code.wrapping_sub(1)).map_or("", String::as_str)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// The loaded catalogue.
#[derive(Debug, Default)]
pub(super) struct Entries {
    /// The version loaded; `None` before the first load.
    loaded: Option<i64>,
    /// Bumped by every load, which may move entries to other slots.
    pub generation: u64,
    pub slots: Vec<Option<Entry>>,
    free: Vec<u32>,
    by_actor: HashMap<String, u32>,
    pub by_docid: HashMap<i64, u32>,
    /// Per [`Dim`], the values seen.
    pub values: [Values; 4],
    pub sectors: Values,
}

impl Entries {
    /// Every entry, with its slot.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &Entry)> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, e)| Some((i as u32, e.as_ref()?)))
    }

    pub fn get(&self, slot: u32) -> Option<&Entry> {
        self.slots.get(slot as usize)?.as_ref()
    }

    fn remove(&mut self, actor_id: &str) {
        let Some(slot) = self.by_actor.remove(actor_id) else {
            return;
        };
        if let Some(old) = self.slots.get_mut(slot as usize).and_then(Option::take) {
            if let Some(docid) = old.docid {
                self.by_docid.remove(&docid);
            }
            self.free.push(slot);
        }
    }

    /// Puts a listing in (replacing what was there) or, when it is no longer listed, out.
    fn apply(&mut self, row: CatalogueRow, sectors: &[String]) {
        self.remove(&row.actor_id);
        if row.state != "listed" {
            return;
        }
        let mut mask = 0u64;
        for sector in sectors {
            let code = self.sectors.code(Some(sector)) as usize;
            if code <= MAX_SECTORS {
                mask |= 1 << (code - 1);
            } else {
                tracing::warn!(sector, "more than 64 distinct sectors: not counted");
            }
        }
        let entry = Entry {
            codes: [
                self.values[0].code(row.nation.as_deref()),
                self.values[1].code(row.region.as_deref()),
                self.values[2].code(row.membership_type.as_deref()),
                self.values[3].code(row.legal_form.as_deref()),
            ],
            sectors: mask,
            name_key: row.name.to_lowercase(),
            docid: row.docid,
            listed_at: row.listed_at,
            last_active_at: row.last_active_at,
            actor_id: row.actor_id,
        };
        let slot = match self.free.pop() {
            Some(slot) => slot,
            None => {
                self.slots.push(None);
                (self.slots.len() - 1) as u32
            }
        };
        self.by_actor.insert(entry.actor_id.clone(), slot);
        if let Some(docid) = entry.docid {
            self.by_docid.insert(docid, slot);
        }
        self.slots[slot as usize] = Some(entry);
    }

    /// Applies loaded rows with their (actor id, sector) pairs.
    fn apply_all(&mut self, loaded: Vec<CatalogueRow>, sector_pairs: Vec<(String, String)>) {
        let mut sectors: HashMap<String, Vec<String>> = HashMap::new();
        for (actor_id, sector) in sector_pairs {
            sectors.entry(actor_id).or_default().push(sector);
        }
        for row in loaded {
            let own = sectors.remove(&row.actor_id).unwrap_or_default();
            self.apply(row, &own);
        }
    }
}

/// The catalogue of one process.
#[derive(Debug, Default)]
pub struct Catalogue {
    entries: RwLock<Entries>,
    /// Held while loading, so two browses never load the same changes twice.
    loading: tokio::sync::Mutex<()>,
}

impl Catalogue {
    /// Brings the catalogue up to the database's version: a full load the first time, then
    /// the listings changed since.
    pub async fn refresh(&self, db: &Db) -> Result<(), AppError> {
        let mut conn = db.acquire().await?;
        let version = rows::version(&mut conn).await?;
        if self.loaded().is_some_and(|v| v >= version) {
            return Ok(());
        }
        let _one_at_a_time = self.loading.lock().await;
        // Read again: another browse may have loaded it while this one waited.
        let version = rows::version(&mut conn).await?;
        let changed = match self.loaded() {
            Some(v) if v >= version => return Ok(()),
            Some(v) => Some(rows::changed_since(&mut conn, v, MAX_INCREMENTAL + 1).await?),
            None => None,
        };
        let (loaded, sectors, full) = match changed {
            Some(changed) if changed.len() <= MAX_INCREMENTAL as usize => {
                let ids: Vec<String> = changed.iter().map(|r| r.actor_id.clone()).collect();
                let sectors = queries::sectors_of(&mut conn, &ids).await?;
                (changed, sectors, false)
            }
            _ => (
                rows::listed(&mut conn).await?,
                rows::listed_sectors(&mut conn).await?,
                true,
            ),
        };
        let mut entries = self.write();
        if full {
            let generation = entries.generation;
            *entries = Entries::default();
            entries.generation = generation;
        }
        entries.apply_all(loaded, sectors);
        entries.loaded = Some(version);
        entries.generation += 1;
        Ok(())
    }

    fn loaded(&self) -> Option<i64> {
        self.read(|e| e.loaded)
    }

    /// Runs `f` on the loaded entries (under a read lock: `f` must not wait on anything).
    pub(super) fn read<R>(&self, f: impl FnOnce(&Entries) -> R) -> R {
        // A panic while holding the lock cannot leave the entries half-written in a way
        // that matters (the next refresh replaces what changed), so a poisoned lock is used.
        let guard = self.entries.read().unwrap_or_else(|p| p.into_inner());
        f(&guard)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Entries> {
        self.entries.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Drops everything, so the next browse loads afresh (tests, and after a restore).
    pub fn clear(&self) {
        *self.write() = Entries::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::directory_queries::ListingFilter;
    use crate::directory::index::Sort;
    use crate::directory::index::facets::tally;
    use crate::directory::index::order;

    fn row(n: i64, name: &str, nation: &str, form: Option<&str>, state: &str) -> CatalogueRow {
        CatalogueRow {
            actor_id: format!("https://x.example/{n}"),
            state: state.into(),
            docid: Some(n),
            name: name.into(),
            nation: Some(nation.into()),
            region: None,
            membership_type: None,
            legal_form: form.map(str::to_string),
            listed_at: Some(n),
            last_active_at: (n % 2 == 0).then_some(100 + n),
        }
    }

    fn entries() -> Entries {
        let mut e = Entries::default();
        let s = |a: i64, v: &str| (format!("https://x.example/{a}"), v.to_string());
        e.apply_all(
            vec![
                row(1, "Alpha", "wales", Some("cic"), "listed"),
                row(2, "beta", "wales", Some("society"), "listed"),
                row(3, "Gamma", "england", Some("cic"), "listed"),
                row(4, "Delta", "england", None, "listed"),
                row(5, "Hidden", "wales", Some("cic"), "invited"),
            ],
            vec![
                s(1, "film"),
                s(1, "music"),
                s(2, "film"),
                s(3, "music"),
                s(5, "film"),
            ],
        );
        e
    }

    fn list(v: &[(String, i64)]) -> Vec<(&str, i64)> {
        v.iter().map(|(a, n)| (a.as_str(), *n)).collect()
    }

    #[test]
    fn each_facet_counts_the_matches_of_every_other_filter() {
        let e = entries();
        let f = ListingFilter {
            nation: Some("wales".into()),
            sector: Some("film".into()),
            ..Default::default()
        };
        let t = tally(&e, &f, None);
        let mut hits: Vec<i64> = t
            .hits
            .iter()
            .map(|&s| e.get(s).unwrap().docid.unwrap())
            .collect();
        hits.sort();
        assert_eq!(hits, [1, 2]);
        // Nations: film co-ops anywhere; sectors: Welsh co-ops in any sector.
        assert_eq!(list(&t.facets.nations), [("wales", 2)]);
        assert_eq!(list(&t.facets.sectors), [("film", 2), ("music", 1)]);
        assert_eq!(list(&t.facets.legal_forms), [("cic", 1), ("society", 1)]);
        // Search matches narrow everything; unknown documents are ignored.
        let t = tally(&e, &ListingFilter::default(), Some(&[3, 4, 3, 99]));
        assert_eq!(t.hits.len(), 2);
        assert_eq!(list(&t.facets.nations), [("england", 2)]);
        // A value nobody has matches nothing.
        let f = ListingFilter {
            legal_form: Some("llp".into()),
            ..Default::default()
        };
        assert!(tally(&e, &f, None).hits.is_empty());
    }

    #[test]
    fn pages_follow_the_order_and_changes_replace_entries() {
        let mut e = entries();
        let all = tally(&e, &ListingFilter::default(), None).hits;
        let names = |ids: Vec<String>| -> Vec<String> {
            ids.iter()
                .map(|id| id.rsplit('/').next().unwrap().to_string())
                .collect()
        };
        assert_eq!(
            names(order::page(&e, &all, Sort::Name, None, 0, 10)),
            ["1", "2", "4", "3"]
        );
        assert_eq!(
            names(order::page(&e, &all, Sort::Name, None, 1, 2)),
            ["2", "4"]
        );
        assert_eq!(
            names(order::page(&e, &all, Sort::Newest, None, 0, 2)),
            ["4", "3"]
        );
        assert_eq!(
            names(order::page(&e, &all, Sort::Active, None, 0, 10)),
            ["4", "2", "1", "3"]
        );
        let scores: HashMap<i64, f64> = [(3, -2.0), (1, -1.0)].into();
        assert_eq!(
            names(order::page(&e, &all, Sort::Name, Some(&scores), 0, 10)),
            ["3", "1", "2", "4"]
        );
        assert!(order::page(&e, &all, Sort::Name, None, 4, 10).is_empty());

        // Delisting one and changing another's nation.
        e.apply_all(
            vec![
                row(1, "Alpha", "scotland", Some("cic"), "listed"),
                row(2, "beta", "wales", None, "delisted"),
            ],
            vec![],
        );
        let t = tally(&e, &ListingFilter::default(), None);
        assert_eq!(t.hits.len(), 3);
        assert_eq!(list(&t.facets.nations), [("england", 2), ("scotland", 1)]);
        assert_eq!(list(&t.facets.sectors), [("music", 1)]);
        assert!(!e.by_docid.contains_key(&2));
    }
}
