//! Browse latency benchmark (issue #3, "Scale"): 100,000 listed co-ops and 1,000,000
//! stories, then server-side `directory::index::browse` timings (in-process, no HTTP) for
//! a search term plus two facets, and for two facets alone, on SQLite and PostgreSQL.
//!
//! Rows are inserted in bulk with multi-row INSERTs written here (the per-row
//! `save_profile` / `put_story` would take hours at this size), but every search document
//! is built by the server's own `db::listings::reindex`, so the full-text index is real.
//!
//! Run: `cargo bench --bench directory_browse`. Environment: `MUTUAL_BENCH_SCALE`
//! (default 1.0) shrinks the data; `MUTUAL_BENCH_QUERIES` (default 200) is the number of
//! timed queries of each kind; `MUTUAL_BENCH_BACKENDS` = sqlite|postgres (PostgreSQL runs
//! only when `MUTUAL_TEST_POSTGRES_URL` is set).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use mutual::app::{AppState, Node};
use mutual::config::{Config, DirectorySetting};
use mutual::content::vocab::{LegalForm, MembershipType, Nation, Region, Sector};
use mutual::db::{self, Conn};
use mutual::directory::index::{self, BrowseQuery, Sort};
use support::{Backend, BenchDatabase, Rng};
use url::Url;

const COOPS: usize = 100_000;
const STORIES: usize = 1_000_000;
/// The target for a search plus two facets (issue #3).
const TARGET_P95: Duration = Duration::from_millis(20);
/// Warm-up queries before each timed series.
const WARM_UP: usize = 20;

// ---- Words ----

/// Frequent English words: the head of the Zipf distribution of story text.
#[rustfmt::skip]
const COMMON: &[&str] = &[
    "the", "and", "of", "to", "a", "in", "our", "we", "for", "is", "with", "on", "this", "are",
    "at", "from", "by", "new", "all", "members", "year", "it", "be", "will", "as", "us", "you",
    "your", "have", "about", "more", "people", "work", "local", "community", "first", "join",
    "week", "time", "share", "open", "free", "support", "day", "now", "project", "into", "city",
    "together", "co-op", "cooperative", "team", "made", "out", "up", "after", "here", "back",
    "each", "every", "other", "some", "what", "when", "where", "who", "how", "many", "most",
    "part", "place", "story", "stories", "news", "event", "thanks", "great", "small", "big",
    "long", "good", "best", "young", "old", "public", "space", "programme", "season", "summer",
    "winter", "spring", "autumn", "month", "weekend", "evening", "morning", "night", "today",
    "tomorrow", "ticket", "tickets", "booking", "call", "apply", "deadline", "funding",
    "meeting", "general", "annual", "board", "vote", "democracy", "owned", "ownership",
    "worker", "workers", "artists", "makers", "freelance", "freelancers", "audience", "venue",
];

/// The words of the sector: what people search for.
#[rustfmt::skip]
const DOMAIN: &[&str] = &[
    "documentary", "animation", "cinema", "screening", "film", "filmmaking", "shorts",
    "music", "choir", "orchestra", "jazz", "folk", "gig", "recording", "studio", "rehearsal",
    "theatre", "puppetry", "circus", "improv", "playwright", "stage", "panto", "opera",
    "painting", "printmaking", "letterpress", "risograph", "mural", "gallery", "exhibition",
    "sculpture", "ceramics", "pottery", "kiln", "weaving", "textiles", "knitting", "embroidery",
    "quilting", "woodwork", "furniture", "glassblowing", "jewellery", "bookbinding", "zine",
    "zines", "comics", "illustration", "poetry", "publishing", "bookshop", "library",
    "archive", "heritage", "museum", "oral", "history", "photography", "darkroom", "analogue",
    "portrait", "games", "boardgames", "videogames", "design", "typography", "architecture",
    "fashion", "dance", "ballet", "ceilidh", "carnival", "festival", "podcast", "radio",
    "broadcast", "journalism", "magazine", "newspaper", "education", "workshop", "workshops",
    "residency", "mentoring", "apprenticeship", "accessibility", "neurodivergent", "youth",
    "elders", "heritage", "crafts", "makerspace", "hackspace", "coding", "digital", "vinyl",
    "soundsystem", "allotment", "murals", "storytelling", "folklore", "gaelic", "welsh",
    "cymraeg", "scots", "ulster", "irish", "shanty", "brass", "harp", "fiddle", "bagpipes",
];

/// Towns, by nation (England split by region).
#[rustfmt::skip]
const TOWNS_ENGLAND: &[(&str, &[&str])] = &[
    ("north-east", &["Newcastle", "Sunderland", "Durham", "Middlesbrough", "Hexham"]),
    ("north-west", &["Manchester", "Liverpool", "Preston", "Lancaster", "Kendal", "Salford"]),
    ("yorkshire-and-the-humber", &["Leeds", "Sheffield", "Hull", "York", "Bradford", "Hebden"]),
    ("east-midlands", &["Nottingham", "Leicester", "Derby", "Lincoln", "Northampton"]),
    ("west-midlands", &["Birmingham", "Coventry", "Wolverhampton", "Stoke", "Hereford"]),
    ("east-of-england", &["Norwich", "Cambridge", "Ipswich", "Colchester", "Luton"]),
    ("london", &["Hackney", "Peckham", "Deptford", "Walthamstow", "Brixton", "Camden", "Tottenham"]),
    ("south-east", &["Brighton", "Oxford", "Reading", "Canterbury", "Hastings", "Margate"]),
    ("south-west", &["Bristol", "Plymouth", "Exeter", "Falmouth", "Bath", "Stroud", "Totnes"]),
];
#[rustfmt::skip]
const TOWNS_SCOTLAND: &[&str] = &["Glasgow", "Edinburgh", "Dundee", "Aberdeen", "Inverness", "Stirling", "Leith"];
#[rustfmt::skip]
const TOWNS_WALES: &[&str] = &["Cardiff", "Swansea", "Newport", "Bangor", "Aberystwyth", "Wrexham", "Machynlleth"];
#[rustfmt::skip]
const TOWNS_NI: &[&str] = &["Belfast", "Derry", "Newry", "Armagh", "Enniskillen"];

#[rustfmt::skip]
const NAME_FIRST: &[&str] = &[
    "Northern", "Riverside", "Red", "Green", "Lantern", "Open", "Common", "Harbour", "Hill",
    "Little", "Old", "New", "Bright", "Wild", "Granary", "Mill", "Foundry", "Canal", "Market",
    "Station", "Velvet", "Copper", "Paper", "Glass", "Stone", "Oak", "Rowan", "Heather",
    "Thistle", "Daffodil", "Kestrel", "Magpie", "Otter", "Heron", "Fox", "Badger", "Owl",
];
#[rustfmt::skip]
const NAME_SECOND: &[&str] = &[
    "Reel", "Frame", "Press", "Loom", "Kiln", "Stage", "Sound", "Song", "Ink", "Thread",
    "Light", "Lens", "Works", "Yard", "House", "Hall", "Room", "Collective", "Union", "Circle",
    "Guild", "Commons", "Assembly", "Exchange", "Studio", "Workshop", "Ensemble", "Players",
];
#[rustfmt::skip]
const NAME_SUFFIX: &[&str] = &["Co-op", "Co-operative", "Cooperative", "CIC", "Society", "Collective", "Ltd"];

/// A word list with a Zipf(1) distribution: the common words first, then the sector's
/// words, places and made-up words shuffled together (a long tail).
struct Vocabulary {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Vocabulary {
    fn new() -> Vocabulary {
        let mut rng = Rng::new(11);
        let mut tail: Vec<String> = DOMAIN.iter().map(|w| w.to_string()).collect();
        for (_, towns) in TOWNS_ENGLAND {
            tail.extend(towns.iter().map(|t| t.to_lowercase()));
        }
        for towns in [TOWNS_SCOTLAND, TOWNS_WALES, TOWNS_NI] {
            tail.extend(towns.iter().map(|t| t.to_lowercase()));
        }
        // Made-up words for a realistic long tail of rare terms.
        const SYLLABLES: &[&str] = &[
            "ba", "ker", "lo", "mi", "tan", "ro", "vel", "sa", "din", "qua", "pe", "nor", "ith",
            "ga", "lum", "bre", "ost", "wy", "chen", "dal", "fro", "gir", "hap", "jun",
        ];
        for _ in 0..4_000 {
            let n = 2 + rng.below(2);
            let word: String = (0..n).map(|_| *rng.pick(SYLLABLES)).collect();
            tail.push(word);
        }
        rng.shuffle(&mut tail);
        let mut words: Vec<String> = COMMON.iter().map(|w| w.to_string()).collect();
        words.extend(tail);
        let mut total = 0.0;
        let cumulative = (1..=words.len())
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect();
        Vocabulary { words, cumulative }
    }

    fn word(&self, rng: &mut Rng) -> &str {
        let total = *self.cumulative.last().expect("words");
        let u = (rng.next_u64() as f64 / u64::MAX as f64) * total;
        let i = self
            .cumulative
            .partition_point(|c| *c < u)
            .min(self.words.len() - 1);
        &self.words[i]
    }

    fn sentence(&self, rng: &mut Rng, words: usize) -> String {
        let mut out = String::new();
        for i in 0..words {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(self.word(rng));
        }
        out
    }
}

// ---- Bulk inserts ----

/// A bound value of a bulk insert.
enum Val {
    Text(Option<String>),
    Int(Option<i64>),
}

fn t(s: impl Into<String>) -> Val {
    Val::Text(Some(s.into()))
}
fn ot(s: Option<&str>) -> Val {
    Val::Text(s.map(str::to_string))
}
fn i(n: i64) -> Val {
    Val::Int(Some(n))
}
fn oi(n: Option<i64>) -> Val {
    Val::Int(n)
}

/// `INSERT INTO {head} VALUES (…), (…)` with every value bound.
async fn insert_rows(conn: &mut Conn, head: &str, rows: Vec<Vec<Val>>) {
    if rows.is_empty() {
        return;
    }
    let mut sql = String::with_capacity(rows.len() * rows[0].len() * 6 + head.len() + 16);
    sql.push_str("INSERT INTO ");
    sql.push_str(head);
    sql.push_str(" VALUES ");
    let mut n = 0;
    for (r, row) in rows.iter().enumerate() {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..row.len() {
            if c > 0 {
                sql.push_str(", ");
            }
            n += 1;
            sql.push_str(&format!("${n}"));
        }
        sql.push(')');
    }
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for row in rows {
        for v in row {
            q = match v {
                Val::Text(s) => q.bind(s),
                Val::Int(n) => q.bind(n),
            };
        }
    }
    q.execute(conn).await.expect("bulk insert");
}

const LISTING_HEAD: &str = "listings (actor_id, state, follow_id, handle, name, summary, url, nation, region, \
    locality, membership_type, legal_form, registrar, registered_number, founded, members, website, indexable, \
    boost_allowed, boost_excluded, listed_at, last_seen_at, last_active_at, next_refresh_at, missing_count)";
const STORY_HEAD: &str = "listing_stories (id, actor_id, title, content, url, kind, published_at)";
const SECTOR_HEAD: &str = "listing_sectors (actor_id, sector)";

/// One generated co-op, kept for building queries.
struct Coop {
    actor_id: String,
}

fn weighted<'a>(rng: &mut Rng, items: &[(&'a str, usize)]) -> &'a str {
    let total: usize = items.iter().map(|(_, w)| w).sum();
    let mut x = rng.below(total);
    for (item, w) in items {
        if x < *w {
            return item;
        }
        x -= w;
    }
    items[0].0
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Loads the co-ops and stories; returns the co-ops and how long each phase took.
async fn load(node: &AppState, coops: usize, stories: usize) -> (Vec<Coop>, [Duration; 3]) {
    let vocab = Vocabulary::new();
    let mut rng = Rng::new(42);
    let now = mutual::now_ms();
    let year_ms: i64 = 365 * 86_400_000;

    // Which co-ops are indexable (85 %), and how many stories each has (skewed: a few
    // busy co-ops, a long tail of quiet ones; exactly `stories` in all).
    let indexable: Vec<bool> = (0..coops).map(|_| rng.below(100) < 85).collect();
    let indexable_ids: Vec<usize> = (0..coops).filter(|c| indexable[*c]).collect();
    let mut story_counts = vec![0usize; coops];
    if !indexable_ids.is_empty() {
        for _ in 0..stories {
            let u = rng.next_u64() as f64 / u64::MAX as f64;
            let k = ((indexable_ids.len() as f64) * u.powf(1.6)) as usize;
            story_counts[indexable_ids[k.min(indexable_ids.len() - 1)]] += 1;
        }
    }

    let started = Instant::now();
    let mut out = Vec::with_capacity(coops);
    let mut listing_rows = Vec::new();
    let mut sector_rows = Vec::new();
    let mut story_rows = Vec::new();
    let mut story_id = 0usize;
    let mut conn = node.db.acquire().await.expect("conn");
    sqlx::query("BEGIN")
        .execute(&mut *conn)
        .await
        .expect("begin");
    for c in 0..coops {
        let host = format!("social{}.example", c % 1_500);
        let user = format!("coop{c}");
        let actor_id = format!("https://{host}/users/{user}");
        let nation = weighted(
            &mut rng,
            &[
                ("england", 70),
                ("scotland", 14),
                ("wales", 10),
                ("northern-ireland", 5),
                ("", 1),
            ],
        );
        let (region, locality) = match nation {
            "england" => {
                let (region, towns) = TOWNS_ENGLAND[rng.below(TOWNS_ENGLAND.len())];
                (Some(region), Some(*rng.pick(towns)))
            }
            "scotland" => (None, Some(*rng.pick(TOWNS_SCOTLAND))),
            "wales" => (None, Some(*rng.pick(TOWNS_WALES))),
            "northern-ireland" => (None, Some(*rng.pick(TOWNS_NI))),
            _ => (None, None),
        };
        let membership = (rng.below(10) > 0)
            .then(|| MembershipType::ALL[rng.below(MembershipType::ALL.len())].as_str());
        let legal_form =
            (rng.below(10) > 0).then(|| LegalForm::ALL[rng.below(LegalForm::ALL.len())].as_str());
        let mut sectors: Vec<&str> = (0..1 + rng.below(3))
            .map(|_| Sector::ALL[rng.below(Sector::ALL.len())].as_str())
            .collect();
        sectors.sort_unstable();
        sectors.dedup();
        let name = format!(
            "{} {} {}",
            rng.pick(NAME_FIRST),
            rng.pick(NAME_SECOND),
            rng.pick(NAME_SUFFIX)
        );
        let summary = format!(
            "<p>{} {} co-operative in {}: {}.</p><p>{} <a href=\"https://{host}/tags/{}\" class=\"mention hashtag\" rel=\"tag\">#<span>{}</span></a></p>",
            capitalised(sectors[0]),
            membership.unwrap_or("community"),
            locality.unwrap_or("the UK"),
            vocab.sentence(&mut rng, 12),
            capitalised(&vocab.sentence(&mut rng, 10)),
            sectors[0],
            sectors[0],
        );
        let listed_at = now - (rng.next_u64() % (3 * year_ms as u64)) as i64;
        // Stories, newest last; the co-op's last activity is its newest story.
        let mut last_active = None;
        if indexable[c] {
            for _ in 0..story_counts[c] {
                let published = now - (rng.next_u64() % (3 * year_ms as u64)) as i64;
                last_active = Some(last_active.map_or(published, |a: i64| a.max(published)));
                let kind = weighted(
                    &mut rng,
                    &[("story", 60), ("news", 20), ("event", 12), ("research", 8)],
                );
                let title_words = 3 + rng.below(6);
                let title = capitalised(&vocab.sentence(&mut rng, title_words));
                let words = 20 + rng.below(60);
                let tag = vocab.word(&mut rng).to_string();
                let content = format!(
                    "<p>{}</p><p>{}. <a href=\"https://{host}/tags/{tag}\" class=\"mention hashtag\" rel=\"tag\">#<span>{tag}</span></a></p>",
                    capitalised(&vocab.sentence(&mut rng, words / 2)),
                    capitalised(&vocab.sentence(&mut rng, words - words / 2)),
                );
                let id = format!("https://{host}/users/{user}/statuses/{story_id}");
                story_id += 1;
                story_rows.push(vec![
                    t(id.clone()),
                    t(actor_id.clone()),
                    t(title),
                    t(content),
                    t(id),
                    t(kind),
                    i(published),
                ]);
            }
        }
        listing_rows.push(vec![
            t(actor_id.clone()),
            t("listed"),
            t(format!("{}/follows/{c}", node.base)),
            t(format!("@{user}@{host}")),
            t(name),
            t(summary),
            t(actor_id.clone()),
            ot(Some(nation).filter(|n| !n.is_empty())),
            ot(region),
            ot(locality),
            ot(membership),
            ot(legal_form),
            ot((rng.below(2) == 0).then_some("FCA")),
            Val::Text((rng.below(2) == 0).then(|| format!("{}", 10_000 + c))),
            oi((rng.below(4) > 0).then(|| 1900 + rng.below(125) as i64)),
            oi((rng.below(4) > 0).then(|| 2 + rng.below(500) as i64)),
            Val::Text(Some(format!("https://{user}.example/"))),
            i(i64::from(indexable[c])),
            i(1),
            i(0),
            i(listed_at),
            i(now - rng.below(86_400_000) as i64),
            oi(last_active),
            i(now + rng.below(86_400_000) as i64),
            i(0),
        ]);
        for s in &sectors {
            sector_rows.push(vec![t(actor_id.clone()), t(*s)]);
        }
        out.push(Coop { actor_id });
        if listing_rows.len() >= 300 {
            insert_rows(&mut conn, LISTING_HEAD, std::mem::take(&mut listing_rows)).await;
            insert_rows(&mut conn, SECTOR_HEAD, std::mem::take(&mut sector_rows)).await;
        }
        if story_rows.len() >= 1_000 {
            insert_rows(&mut conn, LISTING_HEAD, std::mem::take(&mut listing_rows)).await;
            insert_rows(&mut conn, SECTOR_HEAD, std::mem::take(&mut sector_rows)).await;
            insert_rows(&mut conn, STORY_HEAD, std::mem::take(&mut story_rows)).await;
        }
        if (c + 1) % (coops / 5).max(1) == 0 {
            println!(
                "  rows: {} co-ops, {story_id} stories ({:.0}s)",
                c + 1,
                started.elapsed().as_secs_f64()
            );
        }
        if c % 5_000 == 4_999 {
            sqlx::query("COMMIT")
                .execute(&mut *conn)
                .await
                .expect("commit");
            sqlx::query("BEGIN")
                .execute(&mut *conn)
                .await
                .expect("begin");
        }
    }
    insert_rows(&mut conn, LISTING_HEAD, std::mem::take(&mut listing_rows)).await;
    insert_rows(&mut conn, SECTOR_HEAD, std::mem::take(&mut sector_rows)).await;
    insert_rows(&mut conn, STORY_HEAD, std::mem::take(&mut story_rows)).await;
    sqlx::query("COMMIT")
        .execute(&mut *conn)
        .await
        .expect("commit");
    drop(conn);
    let rows_time = started.elapsed();

    // The search documents, built by the server's own code, in parallel on PostgreSQL
    // (SQLite has one writer anyway).
    let started = Instant::now();
    let workers = if node.config.database_url.starts_with("sqlite") {
        1
    } else {
        2
    };
    let ids: Vec<&str> = out.iter().map(|c| c.actor_id.as_str()).collect();
    let chunk = ids.len().div_ceil(workers).max(1);
    let indexed = AtomicUsize::new(0);
    let (indexed, ids) = (&indexed, &ids);
    futures::future::join_all(ids.chunks(chunk).map(|part| async move {
        let mut conn = node.db.acquire().await.expect("conn");
        for batch in part.chunks(1_000) {
            sqlx::query("BEGIN")
                .execute(&mut *conn)
                .await
                .expect("begin");
            for id in batch {
                db::listings::reindex(&mut conn, id).await.expect("reindex");
            }
            sqlx::query("COMMIT")
                .execute(&mut *conn)
                .await
                .expect("commit");
            let done = indexed.fetch_add(batch.len(), Ordering::Relaxed) + batch.len();
            if done % (ids.len() / 5).max(1) < batch.len() {
                println!(
                    "  search documents: {done} ({:.0}s)",
                    started.elapsed().as_secs_f64()
                );
            }
        }
    }))
    .await;
    let index_time = started.elapsed();

    // The steady state after a bulk load: PostgreSQL's autovacuum would soon vacuum
    // (visibility map, hint bits) and analyze these tables; SQLite has no statistics
    // unless the server runs ANALYZE (see docs/performance.md).
    let started = Instant::now();
    if !node.config.database_url.starts_with("sqlite") {
        let mut conn = node.db.acquire().await.expect("conn");
        sqlx::query("VACUUM ANALYZE listings, listing_sectors, listing_stories, listing_search")
            .execute(&mut *conn)
            .await
            .expect("vacuum analyze");
    } else if std::env::var("MUTUAL_BENCH_SQLITE_ANALYZE").is_ok_and(|v| v == "1") {
        let mut conn = node.db.acquire().await.expect("conn");
        sqlx::query("ANALYZE")
            .execute(&mut *conn)
            .await
            .expect("analyze");
        println!("(SQLite: ANALYZE run after loading, MUTUAL_BENCH_SQLITE_ANALYZE=1)");
    }
    let analyze_time = started.elapsed();
    (out, [rows_time, index_time, analyze_time])
}

// ---- Queries ----

/// Search texts of varied frequency (common sector words, rarer crafts, places, pairs).
#[rustfmt::skip]
const SEARCHES: &[&str] = &[
    "documentary", "pottery", "choir", "letterpress", "animation", "festival", "workshop",
    "archive", "glasgow", "cardiff", "belfast", "brighton", "bristol", "leeds", "zine",
    "printmaking", "oral history", "dance", "radio", "podcast", "residency", "ceramics",
    "weaving", "film screening", "jazz", "folk music", "theatre", "puppetry", "photography",
    "darkroom", "games", "design", "heritage", "museum", "youth", "accessibility", "poetry",
    "bookshop", "textiles", "mural", "storytelling", "ceilidh", "opera", "circus",
];

/// Two facets of a random kind with random values.
fn two_facets(rng: &mut Rng, q: &mut BrowseQuery) {
    match rng.below(6) {
        0 => {
            q.nation = Some(rng.pick(Nation::ALL).as_str().into());
            q.sector = Some(rng.pick(Sector::ALL).as_str().into());
        }
        1 => {
            q.region = Some(rng.pick(Region::ALL).as_str().into());
            q.sector = Some(rng.pick(Sector::ALL).as_str().into());
        }
        2 => {
            q.sector = Some(rng.pick(Sector::ALL).as_str().into());
            q.membership_type = Some(rng.pick(MembershipType::ALL).as_str().into());
        }
        3 => {
            q.nation = Some(rng.pick(Nation::ALL).as_str().into());
            q.legal_form = Some(rng.pick(LegalForm::ALL).as_str().into());
        }
        4 => {
            q.region = Some(rng.pick(Region::ALL).as_str().into());
            q.membership_type = Some(rng.pick(MembershipType::ALL).as_str().into());
        }
        _ => {
            q.sector = Some(rng.pick(Sector::ALL).as_str().into());
            q.legal_form = Some(rng.pick(LegalForm::ALL).as_str().into());
        }
    }
}

fn queries(n: usize, seed: u64, search: bool) -> Vec<BrowseQuery> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|_| {
            let mut q = BrowseQuery {
                q: search.then(|| rng.pick(SEARCHES).to_string()),
                sort: Sort::Name,
                // Mostly the first page; sometimes the next ones.
                page: [1, 1, 1, 1, 1, 1, 2, 3][rng.below(8)],
                per_page: 20,
                ..Default::default()
            };
            two_facets(&mut rng, &mut q);
            q
        })
        .collect()
}

/// Times the queries; returns the latencies in query order and the median total of matches.
async fn time_browse(node: &AppState, list: &[BrowseQuery]) -> (Vec<Duration>, i64) {
    let mut times = Vec::with_capacity(list.len());
    let mut totals = Vec::with_capacity(list.len());
    for q in list {
        let t0 = Instant::now();
        let page = index::browse(node, q).await.expect("browse");
        times.push(t0.elapsed());
        totals.push(page.total);
    }
    totals.sort();
    (times, totals.get(totals.len() / 2).copied().unwrap_or(0))
}

fn sorted(mut times: Vec<Duration>) -> Vec<Duration> {
    times.sort();
    times
}

/// The search latencies grouped by how many co-ops the search text matches (without
/// facets, untimed): rare (< 3 %), middling (3–10 %) and common (> 10 %) words.
async fn by_frequency(
    node: &AppState,
    list: &[BrowseQuery],
    times: &[Duration],
    listed: i64,
) -> Vec<(String, Vec<Duration>)> {
    let mut share: std::collections::HashMap<String, f64> = std::collections::HashMap::new();
    for q in list {
        let Some(text) = &q.q else { continue };
        if share.contains_key(text) {
            continue;
        }
        let only = BrowseQuery {
            q: Some(text.clone()),
            per_page: 1,
            ..Default::default()
        };
        let total = index::browse(node, &only).await.expect("browse").total;
        share.insert(text.clone(), total as f64 / listed.max(1) as f64);
    }
    let mut buckets = vec![
        ("rare words (< 3 % of co-ops)".to_string(), Vec::new()),
        ("middling words (3-10 %)".to_string(), Vec::new()),
        ("common words (> 10 %)".to_string(), Vec::new()),
    ];
    for (q, t) in list.iter().zip(times) {
        let f =
            q.q.as_ref()
                .and_then(|text| share.get(text))
                .copied()
                .unwrap_or(0.0);
        let i = if f < 0.03 {
            0
        } else if f <= 0.10 {
            1
        } else {
            2
        };
        buckets[i].1.push(*t);
    }
    for (_, b) in &mut buckets {
        b.sort();
    }
    buckets
}

/// `MUTUAL_BENCH_STAGES=1`: times the parts of `browse` that ask the database for a few
/// searches: the catalogue's version check and the full-text match; the rest of the
/// browse is counting in memory, ranking the hits and reading the page.
async fn time_stages(node: &AppState, list: &[BrowseQuery]) {
    use db::{directory_search, listing_catalogue};
    let ms = |t: Instant| format!("{:.1}", t.elapsed().as_secs_f64() * 1000.0);
    for q in list.iter().take(12) {
        let f = q.filter().expect("filter");
        let mut conn = node.db.acquire().await.expect("conn");
        let t = Instant::now();
        listing_catalogue::version(&mut conn)
            .await
            .expect("version");
        let a = ms(t);
        let t = Instant::now();
        let matches = directory_search::matching(&mut conn, &f.terms)
            .await
            .expect("matching");
        let b = ms(t);
        drop(conn);
        let t = Instant::now();
        let page = index::browse(node, q).await.expect("browse");
        let c = ms(t);
        println!(
            "  stages for {:?} {:?}: version {a} ms, matching {b} ms ({} matches), whole browse {c} ms ({} hits)",
            q.q,
            [
                &q.nation,
                &q.region,
                &q.sector,
                &q.membership_type,
                &q.legal_form
            ],
            matches.len(),
            page.total,
        );
    }
}

/// Times browses that each follow a change to another listing (its last activity, in a
/// transaction, as a pushed story does): the catalogue reloads that one listing first.
async fn time_browse_after_changes(
    node: &AppState,
    list: &[BrowseQuery],
    coops: &[Coop],
) -> Vec<Duration> {
    let mut rng = Rng::new(11);
    let mut times = Vec::with_capacity(list.len());
    for (i, q) in list.iter().enumerate() {
        let id = &rng.pick(coops).actor_id;
        let mut tx = db::begin(&node.db).await.expect("begin");
        db::listings::touch_active(&mut tx, id, 1_800_000_000_000 + i as i64)
            .await
            .expect("touch");
        tx.commit().await.expect("commit");
        let t0 = Instant::now();
        index::browse(node, q).await.expect("browse");
        times.push(t0.elapsed());
    }
    times.sort();
    times
}

/// Times primary-key look-ups of one listing (the machine's baseline).
async fn time_lookups(node: &AppState, coops: &[Coop], n: usize) -> Vec<Duration> {
    let mut rng = Rng::new(5);
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let id = &rng.pick(coops).actor_id;
        let t0 = Instant::now();
        let mut conn = node.db.acquire().await.expect("conn");
        let row = db::listings::find(&mut conn, id).await.expect("find");
        drop(conn);
        times.push(t0.elapsed());
        assert!(row.is_some());
    }
    times.sort();
    times
}

fn line(label: &str, times: &[Duration], baseline: Duration) -> String {
    use support::{ms, percentile};
    let p50 = percentile(times, 50.0);
    let p95 = percentile(times, 95.0);
    format!(
        "{label:<34} p50 {:>7} ms  p95 {:>7} ms  p99 {:>7} ms  max {:>7} ms  (p50 = {:.0}x baseline, p95 = {:.0}x)",
        ms(p50),
        ms(p95),
        ms(percentile(times, 99.0)),
        ms(times.last().copied().unwrap_or_default()),
        p50.as_secs_f64() / baseline.as_secs_f64().max(1e-9),
        p95.as_secs_f64() / baseline.as_secs_f64().max(1e-9),
    )
}

async fn run(backend: Backend, coops: usize, stories: usize, n: usize) -> bool {
    println!("\n== browse on {} ==", backend.name());
    let reuse = std::env::var("MUTUAL_BENCH_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty());
    let database = match &reuse {
        Some(url) => BenchDatabase::existing(url),
        None => BenchDatabase::fresh(backend).await,
    };
    let reserved = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = reserved.local_addr().expect("addr");
    let config = Config {
        database_url: database.url.clone(),
        bind: addr,
        public_url: Some(Url::parse(&format!("http://localhost:{}", addr.port())).expect("url")),
        allow_private_networks: true,
        directory: DirectorySetting::Flag(true),
        ..Config::default()
    };
    let mut node = Node::open(config.clone()).await.expect("open the node");
    let list = if reuse.is_some() {
        let mut conn = node.db.acquire().await.expect("conn");
        let ids: Vec<String> =
            sqlx::query_scalar("SELECT actor_id FROM listings WHERE state = 'listed'")
                .fetch_all(&mut *conn)
                .await
                .expect("listings");
        println!("reusing the loaded database {}", database.url);
        ids.into_iter().map(|actor_id| Coop { actor_id }).collect()
    } else {
        let (list, [rows, search, analyze]) = load(&node, coops, stories).await;
        println!(
            "loaded {coops} listed co-ops and {stories} stories: rows {:.1}s, search documents (db::listings::reindex) {:.1}s, VACUUM/ANALYZE {:.1}s",
            rows.as_secs_f64(),
            search.as_secs_f64(),
            analyze.as_secs_f64()
        );
        // Restart the node, as a server would run: on SQLite, `PRAGMA optimize` gathers
        // the planner statistics when the new connections open.
        node.db.close().await;
        drop(node);
        let started = Instant::now();
        node = Node::open(config).await.expect("reopen the node");
        drop(node.db.acquire().await.expect("conn"));
        println!(
            "reopened the node in {:.1}s",
            started.elapsed().as_secs_f64()
        );
        list
    };
    {
        let mut conn = node.db.acquire().await.expect("conn");
        let listed = db::directory_queries::count_listed(&mut conn)
            .await
            .expect("count");
        let docs: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM listing_search")
            .fetch_one(&mut *conn)
            .await
            .expect("count");
        let size: Option<i64> = if backend == Backend::Postgres {
            sqlx::query_scalar("SELECT pg_database_size(current_database())")
                .fetch_one(&mut *conn)
                .await
                .ok()
        } else {
            sqlx::query_scalar(
                "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
            )
            .fetch_one(&mut *conn)
            .await
            .ok()
        };
        println!(
            "listed: {listed}, search documents: {docs}, database size: {} MiB",
            size.unwrap_or(0) / (1 << 20)
        );
    }

    // The first browse loads the catalogue (every listed co-op's facets, in memory).
    let rss_before = support::rss_kib().unwrap_or(0);
    let started = Instant::now();
    let _ = index::browse(&node, &BrowseQuery::default())
        .await
        .expect("browse");
    println!(
        "first browse, loading the catalogue: {:.0} ms, RSS {} → {} MiB",
        started.elapsed().as_secs_f64() * 1000.0,
        rss_before / 1024,
        support::rss_kib().unwrap_or(0) / 1024
    );
    // Warm up caches and prepared statements, then measure.
    let _ = time_browse(&node, &queries(WARM_UP, 99, true)).await;
    let _ = time_browse(&node, &queries(WARM_UP, 98, false)).await;
    let baseline_times = time_lookups(&node, &list, n).await;
    let baseline = support::percentile(&baseline_times, 50.0);
    let search_queries = queries(n, 1, true);
    let (search_raw, search_total) = time_browse(&node, &search_queries).await;
    let (facet_raw, facet_total) = time_browse(&node, &queries(n, 2, false)).await;
    let baseline_after = time_lookups(&node, &list, n).await;
    let buckets = by_frequency(&node, &search_queries, &search_raw, list.len() as i64).await;
    if std::env::var("MUTUAL_BENCH_STAGES").is_ok_and(|v| v == "1") {
        time_stages(&node, &search_queries).await;
    }
    let changed_raw = time_browse_after_changes(&node, &search_queries, &list).await;
    let (search_times, facet_times) = (sorted(search_raw), sorted(facet_raw));

    println!(
        "{}",
        line(
            "baseline: listing by primary key",
            &baseline_times,
            baseline
        )
    );
    println!("{}", line("search + two facets", &search_times, baseline));
    for (label, times) in &buckets {
        if !times.is_empty() {
            println!(
                "{} ({} queries)",
                line(&format!("  {label}"), times, baseline),
                times.len()
            );
        }
    }
    println!("{}", line("two facets, no search", &facet_times, baseline));
    println!(
        "{}",
        line(
            "search + two facets, after a change",
            &changed_raw,
            baseline
        )
    );
    println!(
        "{}",
        line("baseline again (after)", &baseline_after, baseline)
    );
    println!(
        "median matches: search + two facets {search_total}, two facets {facet_total} ({n} queries each)"
    );
    let p95 = support::percentile(&search_times, 95.0);
    let met = p95 < TARGET_P95;
    println!(
        "target p95 < {} ms for search + two facets: {}",
        TARGET_P95.as_millis(),
        if met { "met" } else { "MISSED" }
    );
    node.db.close().await;
    drop(node);
    database.drop_now().await;
    met
}

fn main() {
    if !support::should_run() {
        return;
    }
    support::init_logs();
    let runtime = support::runtime();
    runtime.block_on(async {
        let coops = support::scaled(COOPS, 100);
        let stories = support::scaled(STORIES, 100);
        let n = support::env_u64("MUTUAL_BENCH_QUERIES", 200).clamp(1, 100_000) as usize;
        println!(
            "directory_browse: {coops} co-ops, {stories} stories (scale {}), {n} timed queries of each kind, {} CPUs",
            support::scale(),
            std::thread::available_parallelism().map_or(0, |n| n.get())
        );
        let backends = match std::env::var("MUTUAL_BENCH_DATABASE_URL") {
            Ok(url) if url.starts_with("sqlite") => vec![Backend::Sqlite],
            Ok(url) if url.starts_with("postgres") => vec![Backend::Postgres],
            _ => support::backends(),
        };
        for backend in backends {
            run(backend, coops, stories, n).await;
        }
    });
}
