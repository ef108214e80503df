//! Inbox ingest benchmark (issue #4, "Inbox ingest"): signed `Create(Note)`s from 100 known
//! remote actors, whose keys are already cached, are verified and stored by a real node.
//! Target: at least 2,000 activities/s and a p99 under 50 ms on 2 cores.
//!
//! Per database it:
//! 1. starts a node (`Node::open` + `app::serve` on `127.0.0.1:0`, reached as
//!    `http://localhost:PORT`) with one co-op;
//! 2. caches 100 remote actors (Mastodon-like `Person`s with their own RSA-2048 keys, on a
//!    fake host `http://localhost:PORT2`) in `remote_actors`, through the node's own
//!    `remote_actor::parse`, and gives the co-op an accepted follow of each, so that
//!    `content::follows::store_post` keeps their posts in `remote_posts`. The fake host
//!    serves the actors too but counts every request: the node must make none (a fetch
//!    would mean the cache was missed);
//! 3. signs every request beforehand (`cavage::sign_request` with the actor's key: Digest,
//!    Date, Host, Signature), so the client spends no RSA time while the node is timed;
//! 4. POSTs them to the shared inbox with one pooled reqwest client, N in flight (closed
//!    loop: each of N tasks sends the next as soon as its answer came), for each N in
//!    `MUTUAL_BENCH_CONCURRENCY`, and reports activities/s, p50/p95/p99/max latency and
//!    the CPU time this process (node and client; not PostgreSQL's server) spent per
//!    activity, which other jobs on the machine inflate less than the wall clock;
//! 5. times `GET /nodeinfo/2.1` (three small reads and a JSON document) over the same
//!    client before and after, as a same-run baseline: ingest is given as a multiple of
//!    it, which compares better between runs on this shared machine than milliseconds do;
//! 6. checks that every activity was answered 202 and its note is in `remote_posts`, and
//!    that the fake host saw no request; otherwise it says so loudly and exits with 1.
//!
//! The node runs on a multi-threaded tokio runtime with one worker per CPU (as `mutual
//! serve` does); the client runs on a single-threaded runtime of its own, on the same
//! machine, so it takes CPU from the node (the baseline pays the same).
//!
//! Run: `cargo bench --bench inbox_ingest`. Environment: `MUTUAL_BENCH_ACTIVITIES`
//! (default 5,000) activities per concurrency level; `MUTUAL_BENCH_CONCURRENCY` (default
//! `32,64`) the requests in flight, one timed run each; `MUTUAL_BENCH_SCALE` shrinks the
//! activities; `MUTUAL_BENCH_EXTRA_FOLLOWS` (default 0) adds that many other accepted
//! follows (as a directory following thousands of co-ops has); `MUTUAL_BENCH_BACKENDS` = sqlite|postgres (PostgreSQL runs only when
//! `MUTUAL_TEST_POSTGRES_URL` is set); `RUST_LOG=warn` shows the node's log.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method};
use mutual::app::{self, AppState, Node};
use mutual::config::{Config, DirectorySetting};
use mutual::content::profile::ProfileInput;
use mutual::federation::objects::remote_actor;
use mutual::federation::signatures::cavage;
use mutual::federation::signatures::keys::{self, SigningKey};
use mutual::{content, db};
use serde_json::{Value, json};
use support::{Backend, BenchDatabase, Rng};
use tokio::net::TcpListener;
use url::Url;

const ACTORS: usize = 100;
const ACTIVITIES: usize = 5_000;
const WARM_UP: usize = 200;
const BASELINE_REQUESTS: usize = 2_000;
const TARGET_RATE: f64 = 2_000.0;
const TARGET_P99: Duration = Duration::from_millis(50);
const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// One remote actor: its URL, key id, key and the document the fake host serves.
struct Actor {
    id: String,
    key_id: String,
    key: SigningKey,
    document: Value,
}

/// The fake host the actors live on; it counts every request it gets.
struct Host {
    port: u16,
    actors: Vec<Value>,
    requests: AtomicU64,
}

async fn count_requests(State(host): State<Arc<Host>>, req: Request, next: Next) -> Response {
    host.requests.fetch_add(1, Ordering::SeqCst);
    next.run(req).await
}

async fn serve_actor(State(host): State<Arc<Host>>, Path(name): Path<String>) -> Response {
    let n = name
        .strip_prefix("member")
        .and_then(|n| n.parse::<usize>().ok());
    match n.and_then(|n| host.actors.get(n)) {
        Some(doc) => (
            [(header::CONTENT_TYPE, "application/activity+json")],
            doc.to_string(),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// A Mastodon-like `Person` with its key.
fn actor_document(base: &str, n: usize, public_key_pem: &str) -> Value {
    let id = format!("{base}/users/member{n}");
    json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1", {
            "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
            "toot": "http://joinmastodon.org/ns#",
            "discoverable": "toot:discoverable",
            "indexable": "toot:indexable",
        }],
        "id": id,
        "type": "Person",
        "following": format!("{id}/following"),
        "followers": format!("{id}/followers"),
        "inbox": format!("{id}/inbox"),
        "outbox": format!("{id}/outbox"),
        "featured": format!("{id}/collections/featured"),
        "preferredUsername": format!("member{n}"),
        "name": format!("Member {n}"),
        "summary": "<p>Films, festivals and co-operatives.</p>",
        "url": format!("{base}/@member{n}"),
        "manuallyApprovesFollowers": false,
        "discoverable": true,
        "indexable": true,
        "published": "2024-01-01T00:00:00Z",
        "publicKey": { "id": format!("{id}#main-key"), "owner": id, "publicKeyPem": public_key_pem },
        "endpoints": { "sharedInbox": format!("{base}/inbox") },
    })
}

/// Generates the actors' keys (two threads: RSA key generation is slow) and starts the
/// fake host serving their documents.
async fn start_host() -> (Arc<Host>, Vec<Actor>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let base = format!("http://localhost:{port}");
    let started = Instant::now();
    let pairs: Vec<keys::KeyPair> = tokio::task::spawn_blocking(|| {
        std::thread::scope(|s| {
            let halves: Vec<_> = (0..2)
                .map(|_| {
                    s.spawn(|| {
                        (0..ACTORS / 2)
                            .map(|_| keys::generate_rsa_keypair().expect("a key"))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            halves
                .into_iter()
                .flat_map(|h| h.join().expect("keygen thread"))
                .collect()
        })
    })
    .await
    .expect("keygen");
    let actors: Vec<Actor> = pairs
        .iter()
        .enumerate()
        .map(|(n, pair)| {
            let document = actor_document(&base, n, &pair.public_key_pem);
            let id = document["id"].as_str().expect("id").to_string();
            Actor {
                key_id: format!("{id}#main-key"),
                id,
                key: SigningKey::from_pem(&pair.private_key_pem).expect("key"),
                document,
            }
        })
        .collect();
    println!(
        "generated {} actor keys in {:.1} s; fake actor host at {base}",
        actors.len(),
        started.elapsed().as_secs_f64()
    );
    let host = Arc::new(Host {
        port,
        actors: actors.iter().map(|a| a.document.clone()).collect(),
        requests: AtomicU64::new(0),
    });
    let app = Router::new()
        .route("/users/{name}", get(serve_actor))
        .layer(middleware::from_fn_with_state(host.clone(), count_requests))
        .with_state(host.clone());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (host, actors)
}

/// A Mastodon-like `Create(Note)` of about 2.7 KB.
fn create_activity(actor: &Actor, n: usize, seq: usize) -> Value {
    let status = format!("{}/statuses/{seq}", actor.id);
    let published = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let base = actor.id.split("/users/").next().unwrap_or_default();
    let content = format!(
        "<p>Our film co-op screened three shorts by members tonight, {seq} in the series. \
         Thanks to everyone who came and stayed for the discussion afterwards!</p>\
         <p>Next month: a workshop on community archives with \
         <span class=\"h-card\"><a href=\"{base}/@member{}\" class=\"u-url mention\">@<span>member{}</span></a></span>. \
         <a href=\"{base}/tags/coops\" class=\"mention hashtag\" rel=\"tag\">#<span>coops</span></a> \
         <a href=\"{base}/tags/film\" class=\"mention hashtag\" rel=\"tag\">#<span>film</span></a></p>",
        (n + 1) % ACTORS,
        (n + 1) % ACTORS,
    );
    json!({
        "@context": ["https://www.w3.org/ns/activitystreams", {
            "ostatus": "http://ostatus.org#",
            "atomUri": "ostatus:atomUri",
            "conversation": "ostatus:conversation",
            "sensitive": "as:sensitive",
            "toot": "http://joinmastodon.org/ns#",
            "Hashtag": "as:Hashtag",
        }],
        "id": format!("{status}/activity"),
        "type": "Create",
        "actor": actor.id,
        "published": published,
        "to": [PUBLIC],
        "cc": [format!("{}/followers", actor.id)],
        "object": {
            "id": status,
            "type": "Note",
            "summary": null,
            "inReplyTo": null,
            "published": published,
            "url": format!("{base}/@member{n}/{seq}"),
            "attributedTo": actor.id,
            "to": [PUBLIC],
            "cc": [format!("{}/followers", actor.id)],
            "sensitive": false,
            "atomUri": status,
            "conversation": format!("tag:localhost,2026:objectId={seq}:objectType=Conversation"),
            "content": content,
            "contentMap": { "en": content },
            "attachment": [],
            "tag": [
                { "type": "Mention", "href": format!("{base}/users/member{}", (n + 1) % ACTORS), "name": format!("@member{}", (n + 1) % ACTORS) },
                { "type": "Hashtag", "href": format!("{base}/tags/coops"), "name": "#coops" },
                { "type": "Hashtag", "href": format!("{base}/tags/film"), "name": "#film" },
            ],
            "replies": {
                "id": format!("{status}/replies"),
                "type": "Collection",
                "first": { "type": "CollectionPage", "next": format!("{status}/replies?only_other_accounts=true&page=true"), "partOf": format!("{status}/replies"), "items": [] },
            },
        },
    })
}

/// A request ready to send.
#[derive(Clone)]
struct Prepared {
    method: Method,
    url: Url,
    headers: HeaderMap,
    body: Bytes,
}

/// Signs the Creates with sequence numbers `seqs`, on two threads; the actor of each is
/// picked by a hash of its number.
fn sign_creates(actors: &[Actor], inbox: &Url, seqs: std::ops::Range<usize>) -> Vec<Prepared> {
    let sign = |seq: usize| {
        let n = Rng::new(seq as u64).below(ACTORS);
        let actor = &actors[n];
        let body = serde_json::to_vec(&create_activity(actor, n, seq)).expect("json");
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/activity+json"),
        );
        cavage::sign_request(
            &Method::POST,
            inbox,
            &mut headers,
            Some(&body),
            &actor.key_id,
            &actor.key,
        )
        .expect("sign_request");
        Prepared {
            method: Method::POST,
            url: inbox.clone(),
            headers,
            body: Bytes::from(body),
        }
    };
    let mid = seqs.start + seqs.len() / 2;
    std::thread::scope(|s| {
        let first = s.spawn(|| (seqs.start..mid).map(sign).collect::<Vec<_>>());
        let second = s.spawn(|| (mid..seqs.end).map(sign).collect::<Vec<_>>());
        let mut out = first.join().expect("signing thread");
        out.extend(second.join().expect("signing thread"));
        out
    })
}

/// What one closed-loop run measured.
struct Outcome {
    elapsed: Duration,
    /// CPU time of this process (node and client) during the run.
    cpu: Duration,
    latencies: Vec<Duration>,
    ok: usize,
    failures: usize,
    first_failures: Vec<String>,
}

impl Outcome {
    fn rate(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64()
    }

    /// CPU time of this process per request, in microseconds.
    fn cpu_us(&self) -> f64 {
        self.cpu.as_secs_f64() * 1e6 / self.latencies.len().max(1) as f64
    }

    fn p(&self, p: f64) -> Duration {
        support::percentile(&self.latencies, p)
    }

    fn line(&self) -> String {
        format!(
            "{:.0}/s; latency p50 {} / p95 {} / p99 {} / max {} ms; {:.0} µs CPU each; {} ok, {} failed",
            self.rate(),
            support::ms(self.p(50.0)),
            support::ms(self.p(95.0)),
            support::ms(self.p(99.0)),
            support::ms(self.latencies.last().copied().unwrap_or_default()),
            self.cpu_us(),
            self.ok,
            self.failures,
        )
    }
}

/// Sends every request, `concurrency` at a time (each task sends its next as soon as its
/// answer is read); `expected` is the status that counts as success.
async fn drive(
    client: &reqwest::Client,
    requests: Arc<Vec<Prepared>>,
    concurrency: usize,
    expected: StatusCode,
) -> Outcome {
    let next = Arc::new(AtomicUsize::new(0));
    let cpu = process_cpu();
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        let (client, requests, next) = (client.clone(), requests.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let (mut ok, mut failures, mut first) = (0usize, 0usize, Vec::new());
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(r) = requests.get(i) else { break };
                let sent = Instant::now();
                let result = client
                    .request(r.method.clone(), r.url.clone())
                    .headers(r.headers.clone())
                    .body(r.body.clone())
                    .send()
                    .await;
                let outcome = match result {
                    Ok(response) => {
                        let status = response.status();
                        let body = response.bytes().await.unwrap_or_default();
                        if status == expected {
                            Ok(())
                        } else {
                            Err(format!("{status}: {}", String::from_utf8_lossy(&body)))
                        }
                    }
                    Err(e) => Err(format!("request failed: {e}")),
                };
                latencies.push(sent.elapsed());
                match outcome {
                    Ok(()) => ok += 1,
                    Err(e) => {
                        failures += 1;
                        if first.len() < 5 {
                            first.push(e);
                        }
                    }
                }
            }
            (latencies, ok, failures, first)
        }));
    }
    let mut outcome = Outcome {
        elapsed: Duration::ZERO,
        cpu: Duration::ZERO,
        latencies: Vec::with_capacity(requests.len()),
        ok: 0,
        failures: 0,
        first_failures: Vec::new(),
    };
    for task in tasks {
        let (latencies, ok, failures, first) = task.await.expect("client task");
        outcome.latencies.extend(latencies);
        outcome.ok += ok;
        outcome.failures += failures;
        outcome.first_failures.extend(first);
    }
    outcome.elapsed = started.elapsed();
    outcome.cpu = process_cpu().saturating_sub(cpu);
    outcome.latencies.sort_unstable();
    outcome.first_failures.truncate(5);
    outcome
}

/// A running node and what the benchmark set up on it.
struct Setup {
    node: AppState,
    database: BenchDatabase,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

/// Opens and serves a node with one co-op, caches the actors and makes the co-op follow
/// them (accepted).
async fn setup(backend: Backend, actors: &[Actor]) -> Setup {
    let database = BenchDatabase::fresh(backend).await;
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let config = Config {
        database_url: database.url.clone(),
        bind: listener.local_addr().expect("addr"),
        public_url: Some(Url::parse(&format!("http://localhost:{port}")).expect("url")),
        allow_private_networks: true,
        directory: DirectorySetting::Flag(false),
        ..Config::default()
    };
    let node = Node::open(config).await.expect("open the node");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = node.clone();
    let task = tokio::spawn(async move {
        let _ = app::serve(serving, listener, async {
            let _ = stopped.await;
        })
        .await;
    });

    let input = ProfileInput {
        name: Some("Riverside Film Co-op".into()),
        nation: Some("england".into()),
        region: Some("london".into()),
        sectors: vec!["film".into()],
        ..Default::default()
    };
    let coop = content::coops::create(&node, "riverside", &input)
        .await
        .expect("create the co-op");
    let now = mutual::now_ms();
    // Other accepted follows (of actors that send nothing here), as a directory following
    // thousands of co-ops has: every stored post first checks that someone follows its author.
    let extra = support::env_u64("MUTUAL_BENCH_EXTRA_FOLLOWS", 0) as usize;
    for chunk in (0..extra).collect::<Vec<_>>().chunks(1_000) {
        let mut tx = db::begin(&node.db).await.expect("begin");
        for &k in chunk {
            let target = format!("https://elsewhere{}.example/users/{k}", k % 500);
            let follow_id = format!("{}/follows/extra-{k}", node.base);
            db::follows::upsert_pending(&mut tx, coop.row.id, &target, &follow_id, now)
                .await
                .expect("follow");
        }
        tx.commit().await.expect("commit");
    }
    if extra > 0 {
        let mut conn = node.db.acquire().await.expect("conn");
        sqlx::query("UPDATE follows SET state = 'accepted'")
            .execute(&mut *conn)
            .await
            .expect("accept the follows");
    }
    for (n, actor) in actors.iter().enumerate() {
        // The cache row exactly as a fetch would have stored it.
        let row = remote_actor::parse(&actor.document, Some(&actor.key_id)).expect("parse");
        assert_eq!(row.key_id.as_deref(), Some(actor.key_id.as_str()));
        let follow_id = format!("{}/follows/{n}", node.base);
        let mut tx = db::begin(&node.db).await.expect("begin");
        db::remote_actors::upsert(&mut tx, &row)
            .await
            .expect("cache the actor");
        db::follows::upsert_pending(&mut tx, coop.row.id, &actor.id, &follow_id, now)
            .await
            .expect("follow");
        tx.commit().await.expect("commit");
        // As the actor's Accept would.
        content::follows::answered(&node, &follow_id, &actor.id, true)
            .await
            .expect("accept")
            .expect("our follow");
    }
    Setup {
        node,
        database,
        stop,
        task,
    }
}

/// CPU time (user + system) of this whole process so far: the node and the client
/// (`/proc/self/stat`, in the kernel's fixed 100 Hz `USER_HZ` ticks).
fn process_cpu() -> Duration {
    let ticks = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|stat| {
            let fields: Vec<u64> = stat
                .rsplit_once(')')?
                .1
                .split_whitespace()
                .skip(11)
                .take(2)
                .filter_map(|f| f.parse().ok())
                .collect();
            Some(fields.iter().sum::<u64>())
        })
        .unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

async fn count(node: &Node, sql: &'static str) -> i64 {
    let mut conn = node.db.acquire().await.expect("conn");
    sqlx::query_scalar(sql)
        .fetch_one(&mut *conn)
        .await
        .expect("count")
}

/// Runs everything on one database; returns whether every check passed.
fn run(
    backend: Backend,
    server: &tokio::runtime::Runtime,
    client_rt: &tokio::runtime::Runtime,
    host: &Host,
    actors: &[Actor],
    levels: &[usize],
    per_level: usize,
) -> bool {
    println!("\n== inbox ingest on {} ==", backend.name());
    let started = Instant::now();
    let s = server.block_on(setup(backend, actors));
    let base = s.node.base.clone();
    println!(
        "node at {base}: 1 co-op following {} cached actors and {} others (set up in {:.1} s)",
        actors.len(),
        support::env_u64("MUTUAL_BENCH_EXTRA_FOLLOWS", 0),
        started.elapsed().as_secs_f64()
    );

    let inbox = base.join("/inbox").expect("inbox url");
    let started = Instant::now();
    let warm_up = Arc::new(sign_creates(actors, &inbox, 0..WARM_UP));
    let mut timed = Vec::new();
    let mut seq = WARM_UP;
    for _ in levels {
        timed.push(Arc::new(sign_creates(actors, &inbox, seq..seq + per_level)));
        seq += per_level;
    }
    let sent = seq;
    let body_bytes: usize = timed[0].iter().map(|r| r.body.len()).sum();
    println!(
        "signed {sent} Creates beforehand in {:.1} s (mean body {} bytes)",
        started.elapsed().as_secs_f64(),
        body_bytes / timed[0].len().max(1)
    );
    let nodeinfo = Prepared {
        method: Method::GET,
        url: base.join("/nodeinfo/2.1").expect("url"),
        headers: HeaderMap::new(),
        body: Bytes::new(),
    };
    let baseline_requests = Arc::new(vec![nodeinfo; support::scaled(BASELINE_REQUESTS, 100)]);

    host.requests.store(0, Ordering::SeqCst);
    let results = client_rt.block_on(async {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .pool_max_idle_per_host(256)
            .build()
            .expect("client");
        let first = levels[0];
        let w = drive(&client, warm_up, first, StatusCode::ACCEPTED).await;
        println!(
            "warm-up: {} Creates at {first} in flight: {}",
            WARM_UP,
            w.line()
        );
        let mut failures = w.first_failures.clone();
        let mut all_ok = w.failures == 0;
        let before = drive(&client, baseline_requests.clone(), first, StatusCode::OK).await;
        println!(
            "baseline GET /nodeinfo/2.1, {first} in flight: {}",
            before.line()
        );
        let mut runs = Vec::new();
        for (level, requests) in levels.iter().zip(timed) {
            let o = drive(&client, requests, *level, StatusCode::ACCEPTED).await;
            println!(
                "ingest, {level} in flight: {} activities in {:.2} s = {}",
                o.latencies.len(),
                o.elapsed.as_secs_f64(),
                o.line(),
            );
            all_ok &= o.failures == 0;
            failures.extend(o.first_failures.iter().cloned());
            runs.push((*level, o));
        }
        let after = drive(&client, baseline_requests, first, StatusCode::OK).await;
        println!(
            "baseline GET /nodeinfo/2.1 again, {first} in flight: {}",
            after.line()
        );
        all_ok &= before.failures == 0 && after.failures == 0;
        failures.extend(before.first_failures.iter().cloned());
        failures.extend(after.first_failures.iter().cloned());
        (runs, before, after, all_ok, failures)
    });
    let (runs, before, after, answered_ok, failures) = results;
    let fetches = host.requests.load(Ordering::SeqCst);

    let (stored, authors, received) = server.block_on(async {
        (
            count(&s.node, "SELECT COUNT(*) FROM remote_posts").await,
            count(&s.node, "SELECT COUNT(DISTINCT actor_id) FROM remote_posts").await,
            count(&s.node, "SELECT COUNT(*) FROM received_activities").await,
        )
    });
    println!(
        "stored: {stored} of {sent} notes in remote_posts ({authors} authors), \
         {received} activity ids recorded; requests to the fake actor host: {fetches}"
    );
    let mut ok = true;
    if !answered_ok {
        ok = false;
        eprintln!(
            "ERROR ({}): not every request was answered as expected; first failures:",
            backend.name()
        );
        for f in &failures {
            eprintln!("  {f}");
        }
    }
    if stored != sent as i64 {
        ok = false;
        eprintln!(
            "ERROR ({}): {stored} notes stored, {sent} sent: the inbox lost {}",
            backend.name(),
            sent as i64 - stored
        );
    }
    if fetches != 0 {
        ok = false;
        eprintln!(
            "ERROR ({}): the node made {fetches} requests to the actors' host: the key cache was missed",
            backend.name()
        );
    }

    let base_rate = (before.rate() + after.rate()) / 2.0;
    let base_p50 = (before.p(50.0) + after.p(50.0)) / 2;
    let base_cpu = (before.cpu_us() + after.cpu_us()) / 2.0;
    for (level, o) in &runs {
        let met = o.rate() >= TARGET_RATE && o.p(99.0) < TARGET_P99;
        println!(
            "summary ({}, {level} in flight): {:.0} activities/s, p50 {} / p95 {} / p99 {} ms, \
             {:.0} µs CPU each (node and client); against the baseline ({base_rate:.0} GET/s, \
             p50 {} ms, {base_cpu:.0} µs CPU each): rate {:.2}x, p50 {:.1}x, CPU {:.1}x; \
             target >= {TARGET_RATE:.0}/s and p99 < {} ms: {}",
            backend.name(),
            o.rate(),
            support::ms(o.p(50.0)),
            support::ms(o.p(95.0)),
            support::ms(o.p(99.0)),
            o.cpu_us(),
            support::ms(base_p50),
            o.rate() / base_rate,
            o.p(50.0).as_secs_f64() / base_p50.as_secs_f64().max(1e-9),
            o.cpu_us() / base_cpu.max(1e-9),
            TARGET_P99.as_millis(),
            if met { "MET" } else { "MISSED" }
        );
    }
    println!(
        "checks ({}): {}",
        backend.name(),
        if ok { "OK" } else { "FAILED" }
    );

    server.block_on(async move {
        let _ = s.stop.send(());
        let _ = tokio::time::timeout(Duration::from_secs(15), s.task).await;
        s.node.db.close().await;
        drop(s.node);
        s.database.drop_now().await;
    });
    ok
}

fn main() {
    if !support::should_run() {
        return;
    }
    support::init_logs();
    let per_level = support::scaled(
        support::env_u64("MUTUAL_BENCH_ACTIVITIES", ACTIVITIES as u64) as usize,
        10,
    );
    let levels: Vec<usize> = std::env::var("MUTUAL_BENCH_CONCURRENCY")
        .unwrap_or_else(|_| "32,64".into())
        .split(',')
        .filter_map(|v| v.trim().parse().ok())
        .filter(|v| (1..=1024).contains(v))
        .collect();
    let levels = if levels.is_empty() { vec![32] } else { levels };
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "inbox_ingest: {per_level} signed Create(Note)s from {ACTORS} cached actors per level, \
         in flight: {levels:?}; {cpus} CPUs; load average {}",
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cpus)
        .enable_all()
        .build()
        .expect("the node's runtime");
    let client_rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("the client's runtime");
    let (host, actors) = server.block_on(start_host());
    println!("fake actor host on port {}", host.port);
    let mut ok = true;
    for backend in support::backends() {
        ok &= run(
            backend, &server, &client_rt, &host, &actors, &levels, per_level,
        );
    }
    if !ok {
        eprintln!("inbox_ingest: FAILED (see the errors above)");
        std::process::exit(1);
    }
}
