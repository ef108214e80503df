//! Refresh sweep benchmark (issue #3, "Scale"): 10,000 listed actors spread over 500
//! hosts, each host a real axum listener on `127.0.0.1:0` reached as
//! `http://localhost:PORT` (distinct ports are distinct hosts). The directory node refreshes
//! them all with `directory::refresh::run_once`; the benchmark prints actors per second,
//! the most requests any one host saw in flight (the limit is 2), and the process RSS
//! (directory node and fake hosts together) sampled every 50 ms. The sweep is repeated
//! (everything made due again) so that growing memory would show from sweep to sweep.
//!
//! Run: `cargo bench --bench directory_refresh`. Environment:
//! `MUTUAL_BENCH_SCALE` (default 1.0) shrinks actors and hosts; `MUTUAL_BENCH_LATENCY_MS`
//! (default 20) is each fake host's answer delay; `MUTUAL_BENCH_SWEEPS` (default 3);
//! `MUTUAL_BENCH_ORDER=clustered` makes each host's actors due together (default: random
//! host order); `MUTUAL_BENCH_BACKENDS` = sqlite|postgres (PostgreSQL runs only when
//! `MUTUAL_TEST_POSTGRES_URL` is set).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use mutual::app::Node;
use mutual::config::{Config, DirectorySetting};
use mutual::db;
use mutual::db::listings::ListingRow;
use mutual::directory;
use serde_json::json;
use support::{Backend, BenchDatabase, Rng};
use tokio::net::TcpListener;
use url::Url;

const ACTORS: usize = 10_000;
const HOSTS: usize = 500;
/// The sweep gives up after this long.
const DEADLINE: Duration = Duration::from_secs(900);
/// And after this many passes of `run_once`.
const MAX_PASSES: usize = 1_000;

#[rustfmt::skip]
const SECTORS: &[&str] = &[
    "film", "music", "theatre", "visual-arts", "design", "publishing", "games", "photography",
    "dance", "crafts", "heritage", "festivals", "media", "education",
];
#[rustfmt::skip]
const REGIONS: &[&str] = &[
    "north-east", "north-west", "yorkshire-and-the-humber", "east-midlands", "west-midlands",
    "east-of-england", "london", "south-east", "south-west",
];

/// One fake host: its port, and how many requests it has in flight (now and at most).
struct Host {
    port: u16,
    index: usize,
    hosts: usize,
    public_key_pem: Arc<String>,
    latency: Duration,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    requests: AtomicU64,
}

/// Counts requests in flight around every handler, and waits the simulated latency.
async fn count_in_flight(State(host): State<Arc<Host>>, req: Request, next: Next) -> Response {
    let now = host.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    host.max_in_flight.fetch_max(now, Ordering::SeqCst);
    host.requests.fetch_add(1, Ordering::Relaxed);
    if !host.latency.is_zero() {
        tokio::time::sleep(host.latency).await;
    }
    let response = next.run(req).await;
    host.in_flight.fetch_sub(1, Ordering::SeqCst);
    response
}

fn activity_json(body: serde_json::Value) -> Response {
    (
        [(header::CONTENT_TYPE, "application/activity+json")],
        body.to_string(),
    )
        .into_response()
}

fn base(host: &Host) -> String {
    format!("http://localhost:{}", host.port)
}

/// A co-op actor as a `mutual` node serves it: discoverable, indexable, typed terms.
async fn actor(State(host): State<Arc<Host>>, Path(n): Path<usize>) -> Response {
    if n % host.hosts != host.index {
        return StatusCode::NOT_FOUND.into_response();
    }
    let base = base(&host);
    let id = format!("{base}/users/{n}");
    let mut rng = Rng::new(n as u64);
    let nation = [
        "england",
        "england",
        "england",
        "scotland",
        "wales",
        "northern-ireland",
    ][rng.below(6)];
    let membership = [
        "workers",
        "freelancers",
        "multi-stakeholder",
        "consumers",
        "community",
    ][rng.below(5)];
    let legal_form = ["society", "company", "cic", "cio", "llp"][rng.below(5)];
    let mut doc = json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": id,
        "type": "Organization",
        "preferredUsername": format!("coop{n}"),
        "name": format!("Bench Co-op {n}"),
        "summary": format!("<p>A cultural co-operative ({n}) making {} and {} with its members.</p>",
            rng.pick(SECTORS), rng.pick(SECTORS)),
        "url": id,
        "inbox": format!("{id}/inbox"),
        "outbox": format!("{id}/outbox"),
        "followers": format!("{id}/followers"),
        "following": format!("{id}/following"),
        "endpoints": { "sharedInbox": format!("{base}/inbox") },
        "publicKey": { "id": format!("{id}#main-key"), "owner": id, "publicKeyPem": host.public_key_pem.as_str() },
        "manuallyApprovesFollowers": false,
        "discoverable": true,
        "indexable": true,
        "published": "2024-01-01T00:00:00Z",
        "sectors": [rng.pick(SECTORS), rng.pick(SECTORS)],
        "nation": nation,
        "membershipType": membership,
        "legalForm": legal_form,
        "locality": format!("Town {}", n % 97),
        "foundedYear": 1980 + (n % 45) as i64,
        "memberCount": 3 + (n % 200) as i64,
        "website": format!("https://coop{n}.example/"),
        "attachment": [
            { "type": "PropertyValue", "name": "Website", "value": format!("<a href=\"https://coop{n}.example/\">coop{n}.example</a>") }
        ],
    });
    if nation == "england" {
        doc["region"] = json!(rng.pick(REGIONS));
    }
    activity_json(doc)
}

/// An empty `following` collection (nothing to suggest).
async fn following(State(host): State<Arc<Host>>, Path(n): Path<usize>) -> Response {
    let id = format!("{}/users/{n}/following", base(&host));
    activity_json(json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": id, "type": "OrderedCollection", "totalItems": 0, "orderedItems": [],
    }))
}

async fn nodeinfo_index(State(host): State<Arc<Host>>) -> Response {
    let body = json!({ "links": [{
        "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
        "href": format!("{}/nodeinfo/2.1", base(&host)),
    }]});
    (
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

async fn nodeinfo() -> Response {
    let body = json!({
        "version": "2.1",
        "software": { "name": "benchhost", "version": "1.0" },
        "protocols": ["activitypub"],
        "usage": { "users": { "total": 20 } },
        "openRegistrations": false,
        "metadata": {},
    });
    (
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// Starts one fake host; it serves until the runtime ends.
async fn start_host(
    index: usize,
    hosts: usize,
    public_key_pem: Arc<String>,
    latency: Duration,
) -> Arc<Host> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let host = Arc::new(Host {
        port: listener.local_addr().expect("local addr").port(),
        index,
        hosts,
        public_key_pem,
        latency,
        in_flight: AtomicUsize::new(0),
        max_in_flight: AtomicUsize::new(0),
        requests: AtomicU64::new(0),
    });
    let app = Router::new()
        .route("/users/{n}", get(actor))
        .route("/users/{n}/following", get(following))
        .route("/.well-known/nodeinfo", get(nodeinfo_index))
        .route("/nodeinfo/2.1", get(nodeinfo))
        .layer(middleware::from_fn_with_state(
            host.clone(),
            count_in_flight,
        ))
        .with_state(host.clone());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    host
}

/// Samples the RSS every 50 ms until `stop` turns true; returns (min, max, samples) in KiB.
fn sample_rss(stop: Arc<AtomicBool>) -> tokio::task::JoinHandle<(u64, u64, usize)> {
    tokio::spawn(async move {
        let (mut min, mut max, mut n) = (u64::MAX, 0u64, 0usize);
        // Bounded: at most 20 minutes of samples.
        for _ in 0..(20 * 60 * 20) {
            if let Some(kib) = support::rss_kib() {
                min = min.min(kib);
                max = max.max(kib);
                n += 1;
            }
            if stop.load(Ordering::SeqCst) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        (min, max, n)
    })
}

/// What one sweep (refreshing every listing once) measured.
struct Sweep {
    refreshed: i64,
    elapsed: Duration,
    passes: usize,
    requests: u64,
    max_host: usize,
    rss_min: u64,
    rss_max: u64,
    samples: usize,
    pass_rss: Vec<u64>,
}

/// Runs `run_once` until nothing is due (bounded by passes and time).
async fn sweep(node: &Node, hosts: &[Arc<Host>]) -> Sweep {
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = sample_rss(stop.clone());
    let started = Instant::now();
    let started_ms = mutual::now_ms();
    let mut passes = 0usize;
    let mut pass_rss = Vec::new();
    while passes < MAX_PASSES && started.elapsed() < DEADLINE {
        let n = directory::refresh::run_once(node).await.expect("run_once");
        if n == 0 {
            break;
        }
        passes += 1;
        pass_rss.push(support::rss_kib().unwrap_or(0));
    }
    let elapsed = started.elapsed();
    stop.store(true, Ordering::SeqCst);
    let (rss_min, rss_max, samples) = sampler.await.expect("sampler");
    let mut conn = node.db.acquire().await.expect("conn");
    let refreshed: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM listings WHERE state = 'listed' AND last_seen_at >= $1 AND name NOT LIKE '%(stale)'",
    )
    .bind(started_ms)
    .fetch_one(&mut *conn)
    .await
    .expect("count");
    Sweep {
        refreshed,
        elapsed,
        passes,
        requests: hosts
            .iter()
            .map(|h| h.requests.load(Ordering::SeqCst))
            .sum(),
        max_host: hosts
            .iter()
            .map(|h| h.max_in_flight.load(Ordering::SeqCst))
            .max()
            .unwrap_or(0),
        rss_min,
        rss_max,
        samples,
        pass_rss,
    }
}

async fn run(backend: Backend, hosts: &[Arc<Host>], actors: usize) {
    println!("\n== refresh sweep on {} ==", backend.name());
    let database = BenchDatabase::fresh(backend).await;
    // A port of our own for the directory node's URL; nothing connects to it.
    let reserved = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = reserved.local_addr().expect("addr").port();
    let config = Config {
        database_url: database.url.clone(),
        bind: reserved.local_addr().expect("addr"),
        public_url: Some(Url::parse(&format!("http://localhost:{port}")).expect("url")),
        allow_private_networks: true,
        directory: DirectorySetting::Flag(true),
        ..Config::default()
    };
    let node = Node::open(config).await.expect("open the directory node");
    let directory_id = directory::actor::find(&node)
        .await
        .expect("the directory actor")
        .row
        .id;

    // Seed: listings due now (random host order, so a pass mixes hosts as real due times
    // do) and the directory's accepted follows of them.
    let seed_started = Instant::now();
    // `MUTUAL_BENCH_ORDER=clustered` instead makes each host's actors due one after the
    // other (many co-ops on one big instance, all due at once); meaningful for one sweep.
    let clustered = std::env::var("MUTUAL_BENCH_ORDER").is_ok_and(|v| v == "clustered");
    let mut order: Vec<usize> = (0..actors).collect();
    if clustered {
        order.sort_by_key(|n| (n % hosts.len(), *n));
        println!("order: clustered by host");
    } else {
        Rng::new(7).shuffle(&mut order);
    }
    let now = mutual::now_ms();
    for (c, chunk) in order.chunks(500).enumerate() {
        let mut tx = db::begin(&node.db).await.expect("begin");
        for (i, &n) in chunk.iter().enumerate() {
            let host = &hosts[n % hosts.len()];
            let actor_id = format!("{}/users/{n}", base(host));
            let follow_id = format!("{}/follows/{}", node.base, uuid::Uuid::new_v4());
            let row = ListingRow {
                actor_id: actor_id.clone(),
                state: "listed".into(),
                follow_id: Some(follow_id.clone()),
                name: format!("Bench Co-op {n} (stale)"),
                summary: "<p>Not refreshed yet.</p>".into(),
                nation: Some("england".into()),
                indexable: 1,
                boost_allowed: 1,
                listed_at: Some(now - 86_400_000),
                last_seen_at: Some(now - 86_400_000),
                next_refresh_at: if clustered { (c * 500 + i) as i64 } else { 0 },
                ..Default::default()
            };
            db::listings::save_profile(&mut tx, &row, &["film".to_string()])
                .await
                .expect("save_profile");
            db::follows::upsert_pending(&mut tx, directory_id, &actor_id, &follow_id, now)
                .await
                .expect("follow");
        }
        tx.commit().await.expect("commit");
    }
    {
        let mut conn = node.db.acquire().await.expect("conn");
        sqlx::query("UPDATE follows SET state = 'accepted' WHERE coop_id = $1")
            .bind(directory_id)
            .execute(&mut *conn)
            .await
            .expect("accept the follows");
    }
    println!(
        "seeded {actors} listings and accepted follows over {} hosts in {:.1}s",
        hosts.len(),
        seed_started.elapsed().as_secs_f64()
    );

    let sweeps = support::env_u64("MUTUAL_BENCH_SWEEPS", 3).clamp(1, 20) as usize;
    let rss_before = support::rss_kib().unwrap_or(0);
    println!("RSS before the first sweep: {} MiB", rss_before / 1024);
    let mut ok = true;
    let mut rates = Vec::new();
    let (mut rss_low, mut rss_high) = (u64::MAX, 0u64);
    for k in 1..=sweeps {
        if k > 1 {
            // Everything due again: the next sweep refreshes all of them once more.
            let mut conn = node.db.acquire().await.expect("conn");
            sqlx::query("UPDATE listings SET next_refresh_at = 0")
                .execute(&mut *conn)
                .await
                .expect("reset");
        }
        for h in hosts {
            h.max_in_flight.store(0, Ordering::SeqCst);
            h.requests.store(0, Ordering::SeqCst);
        }
        let s = sweep(&node, hosts).await;
        let rate = s.refreshed as f64 / s.elapsed.as_secs_f64();
        rates.push(rate);
        rss_low = rss_low.min(s.rss_min);
        rss_high = rss_high.max(s.rss_max);
        let checkpoints: Vec<String> = s
            .pass_rss
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 5 == 0 || *i + 1 == s.pass_rss.len())
            .map(|(i, kib)| format!("#{}:{}", i + 1, kib / 1024))
            .collect();
        println!(
            "sweep {k}: refreshed {}/{actors} in {:.2} s = {rate:.1} actors/s; {} passes of run_once; \
             {} requests ({:.1}/actor); max in flight on one host {} (limit {}); \
             RSS min {} MiB, max {} MiB ({} samples); RSS after passes (MiB) {}",
            s.refreshed,
            s.elapsed.as_secs_f64(),
            s.passes,
            s.requests,
            s.requests as f64 / s.refreshed.max(1) as f64,
            s.max_host,
            directory::refresh::PER_HOST,
            s.rss_min / 1024,
            s.rss_max / 1024,
            s.samples,
            checkpoints.join(" "),
        );
        ok &= s.refreshed as usize == actors && s.max_host <= directory::refresh::PER_HOST;
    }
    println!(
        "summary ({}): {} actors/s (sweeps: {}), RSS {}..{} MiB over all sweeps; {}",
        node.config.database_url.split(':').next().unwrap_or(""),
        rates
            .iter()
            .map(|r| format!("{r:.0}"))
            .collect::<Vec<_>>()
            .join(" / "),
        sweeps,
        rss_low / 1024,
        rss_high / 1024,
        if ok { "OK" } else { "FAILED (see above)" }
    );

    node.db.close().await;
    drop(node);
    database.drop_now().await;
}

fn main() {
    if !support::should_run() {
        return;
    }
    support::init_logs();
    let runtime = support::runtime();
    runtime.block_on(async {
        let actors = support::scaled(ACTORS, 10);
        let hosts_n = support::scaled(HOSTS, 2).min(actors);
        let latency = Duration::from_millis(support::env_u64("MUTUAL_BENCH_LATENCY_MS", 20));
        println!(
            "directory_refresh: {actors} actors over {hosts_n} hosts (scale {}), answer latency {} ms, {} CPUs",
            support::scale(),
            latency.as_millis(),
            std::thread::available_parallelism().map_or(0, |n| n.get())
        );
        let keys = mutual::federation::signatures::keys::generate_rsa_keypair().expect("a key");
        let pem = Arc::new(keys.public_key_pem);
        let mut hosts = Vec::with_capacity(hosts_n);
        for i in 0..hosts_n {
            hosts.push(start_host(i, hosts_n, pem.clone(), latency).await);
        }
        for backend in support::backends() {
            run(backend, &hosts, actors).await;
        }
    });
}
