//! Fan-out benchmark (issue #4, "Fan-out"): one story to 10,000 followers spread over 1,000
//! hosts, then the same requests through the federation crate's `queue_activity`.
//!
//! The hosts are sinks in a **child process** (this binary run again with
//! `MUTUAL_FANOUT_SINK=1`): 1,000 axum listeners on `127.0.0.1:0`, reached as
//! `http://localhost:PORT` (distinct ports are distinct hosts; the federation crate refuses IP
//! hosts). They answer 202 at once, count requests per inbox, and verify every
//! `MUTUAL_BENCH_VERIFY_EVERY`-th signature (default 50) with our verifier
//! (`federation::signatures::parse` then `verify`). Keeping them out of this process keeps the
//! sender's peak RSS (`VmHWM`) the sender's alone. A small control listener in the child
//! resets the counters (and sets the public key to verify with) and reports them as JSON.
//! Each fan-out (ours on each database, then the crate's) also runs in a process of its own
//! (`MUTUAL_FANOUT_PHASE`), so that no phase's peak RSS includes another's; the first process
//! only starts the others and prints the summary.
//!
//! Our side: a real node (`Node::open`, `allow_private_networks`) on a fresh database (SQLite
//! file; PostgreSQL too when `MUTUAL_TEST_POSTGRES_URL` is set), a co-op, 10,000 accepted
//! followers with personal inboxes (`/users/N/inbox`, 10 per host, no sharedInbox) written with
//! `db::followers::upsert`, then `app::serve` (which runs the delivery workers) and one
//! `content::stories::publish`. Measured: deliveries/s, publish to the last delivery the sinks
//! received, the signatures made (`keys::signatures_made`), which must equal the distinct
//! inboxes, and the peak RSS during the fan-out (`VmHWM`, reset through `/proc/self/clear_refs`
//! just before publishing).
//!
//! Baseline: the same body to the same 10,000 inboxes on the same sinks, signed with the same
//! co-op key, through `activitypub_federation::activity_queue::queue_activity`. Its background
//! queue cannot reach these sinks: outside `debug(true)` the crate refuses explicit ports and
//! hosts that resolve to loopback, and 1,000 distinct names for 127.0.0.1 would need system DNS
//! changes. So the baseline runs the crate with `debug(true)` (which sends inline in
//! `queue_activity`), one `queue_activity` call per inbox in its own task, at most
//! `MUTUAL_BENCH_CRATE_WORKERS` (default 128, the global bound for our engine) at once:
//! the crate's queue worker with `queue_worker_count = 128`, minus the retries. `0` spawns them
//! all at once, as the crate's default `queue_worker_count = 0` does. The crate's HTTP client is
//! its own default one, with the DNS check off as in its debug builds.
//!
//! Run: `cargo bench --bench fanout`. Environment: `MUTUAL_BENCH_SCALE` (followers and hosts,
//! 10 followers per host), `MUTUAL_BENCH_HOSTS` (the number of hosts, whatever the scale),
//! `MUTUAL_BENCH_BACKENDS` = sqlite|postgres, `MUTUAL_BENCH_VERIFY_EVERY`
//! (default 50), `MUTUAL_BENCH_LATENCY_MS` (default 0: each sink's answer delay),
//! `MUTUAL_BENCH_CRATE_WORKERS` (default 128; 0 = unbounded), `MUTUAL_BENCH_CRATE=0` skips the
//! baseline, `MUTUAL_BENCH_DEADLINE_SECS` (default 900: a fan-out gives up after this long),
//! `RUST_LOG` (e.g. `warn`) shows the node's log. The node's own settings are read from
//! `MUTUAL_*` variables as `serve` reads them (e.g. `MUTUAL_DELIVERY_CONCURRENCY`).
//!
//! The bench exits with status 1 when a sampled signature fails to verify, an inbox is missed,
//! or our signatures differ from the distinct inboxes; the targets (≥ 3× the crate,
//! ≥ 3,000 deliveries/s, peak RSS < 100 MiB) are printed as met or missed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use activitypub_federation::activity_queue::queue_activity;
use activitypub_federation::config::{Data, FederationConfig};
use activitypub_federation::resolver::ValidatingDnsResolver;
use activitypub_federation::traits::{Activity, Actor, Object};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use mutual::app::{self, Node};
use mutual::config::{Config, DirectorySetting};
use mutual::content::coops;
use mutual::content::profile::ProfileInput;
use mutual::content::stories;
use mutual::db;
use mutual::db::followers::NewFollower;
use mutual::federation::signatures::{self, IncomingRequest, keys};
use serde::{Serialize, Serializer};
use serde_json::{Value, json};
use support::{Backend, BenchDatabase};
use tokio::io::AsyncBufReadExt;
use tokio::net::TcpListener;
use url::Url;

const FOLLOWERS: usize = 10_000;
const HOSTS: usize = 1_000;
/// Set (to anything) in the child process that runs the sinks.
const SINK_ENV: &str = "MUTUAL_FANOUT_SINK";
const SINK_HOSTS_ENV: &str = "MUTUAL_FANOUT_SINK_HOSTS";
/// Set in a phase process: which fan-out it runs (`sqlite`, `postgres` or `crate`).
const PHASE_ENV: &str = "MUTUAL_FANOUT_PHASE";
/// In a phase process: where the sinks are, where our run leaves what it sent (for the
/// baseline), and where the phase writes its result.
const PORTS_ENV: &str = "MUTUAL_FANOUT_PORTS";
const CONTROL_ENV: &str = "MUTUAL_FANOUT_CONTROL";
const PID_ENV: &str = "MUTUAL_FANOUT_SINK_PID";
const SENT_ENV: &str = "MUTUAL_FANOUT_SENT";
const RESULT_ENV: &str = "MUTUAL_FANOUT_RESULT";
/// The line the child prints when its listeners are up.
const READY: &str = "FANOUT-SINKS-READY";
const HANDLE: &str = "fanout";
/// After the last inbox is reached, wait this long without requests for stragglers
/// (duplicates) before reading the final counts.
const QUIET: Duration = Duration::from_millis(1500);
/// Give up when the sinks see no new request for this long.
const STALL: Duration = Duration::from_secs(120);

const TITLE: &str = "Our winter season: six new films made by members";
const BODY: &str = "Six members of the co-op have finished films this autumn, and all of them \
open at the **Riverside** from the first week of December.\n\n\
Each screening is followed by a conversation with the people who made the film: \
the editor, the sound recordist, the neighbours who lent their kitchens. \
Tickets are *pay what you can*, and members bring a guest for free.\n\n\
## The programme\n\n\
1. *Tide Tables*, a documentary about the last ferry crossing on the estuary.\n\
2. *Small Hours*, three night-shift workers and one long bus route.\n\
3. *The Allotment Year*, shot on one plot from January to December.\n\
4. *Printers' Devil*, the story of the town's last letterpress shop.\n\
5. *Common Ground*, made with the tenants' association on the Hillside estate.\n\
6. *Encore*, a choir of retired dockers rehearsing for their final concert.\n\n\
We are still looking for volunteers to run the bar and the door. If you can give an \
evening, reply to this post or come to the members' meeting on Thursday. \
Thank you to everyone who held a boom pole, made tea, or lent a van.";

fn main() {
    if std::env::var_os(SINK_ENV).is_some() {
        sink_main();
        return;
    }
    if let Ok(phase) = std::env::var(PHASE_ENV) {
        support::init_logs();
        phase_main(&phase);
        return;
    }
    if !support::should_run() {
        return;
    }
    support::init_logs();
    let runtime = support::runtime();
    let ok = runtime.block_on(bench());
    if !ok {
        println!("\nfanout: FAILED (see the lines marked !!! above)");
        std::process::exit(1);
    }
}

// ---------------------------------------------------------------------------------------------
// The sinks (child process)
// ---------------------------------------------------------------------------------------------

/// What the sinks saw since the last reset.
struct Sink {
    /// The public key (PEM) sampled signatures are verified with.
    key_pem: Mutex<String>,
    verify_every: u64,
    latency: Duration,
    requests: AtomicU64,
    /// Requests that were not a POST to `/users/N/inbox`.
    unexpected: AtomicU64,
    /// Requests per inbox, keyed `PORT/path`.
    inboxes: Mutex<HashMap<String, u32>>,
    /// Requests per body digest (`SHA-256=…`).
    bodies: Mutex<HashMap<String, u64>>,
    first_body: Mutex<Option<Bytes>>,
    /// Key ids of the sampled signatures.
    key_ids: Mutex<HashMap<String, u64>>,
    verified: AtomicU64,
    verify_failed: AtomicU64,
    failures: Mutex<Vec<String>>,
    /// Unix time (ns) of the first and last answer.
    first_ns: AtomicU64,
    last_ns: AtomicU64,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    max_host_in_flight: AtomicUsize,
}

impl Sink {
    fn reset(&self, key_pem: String) {
        *self.key_pem.lock().unwrap() = key_pem;
        self.requests.store(0, Ordering::SeqCst);
        self.unexpected.store(0, Ordering::SeqCst);
        self.inboxes.lock().unwrap().clear();
        self.bodies.lock().unwrap().clear();
        *self.first_body.lock().unwrap() = None;
        self.key_ids.lock().unwrap().clear();
        self.verified.store(0, Ordering::SeqCst);
        self.verify_failed.store(0, Ordering::SeqCst);
        self.failures.lock().unwrap().clear();
        self.first_ns.store(u64::MAX, Ordering::SeqCst);
        self.last_ns.store(0, Ordering::SeqCst);
        self.max_in_flight.store(0, Ordering::SeqCst);
        self.max_host_in_flight.store(0, Ordering::SeqCst);
    }

    fn stats(&self) -> Value {
        let inboxes = self.inboxes.lock().unwrap();
        let duplicates: u64 = inboxes.values().map(|&n| u64::from(n) - 1).sum();
        let max_per_inbox = inboxes.values().copied().max().unwrap_or(0);
        json!({
            "requests": self.requests.load(Ordering::SeqCst),
            "distinct": inboxes.len(),
            "duplicates": duplicates,
            "max_per_inbox": max_per_inbox,
            "unexpected": self.unexpected.load(Ordering::SeqCst),
            "verified": self.verified.load(Ordering::SeqCst),
            "verify_failed": self.verify_failed.load(Ordering::SeqCst),
            "failures": *self.failures.lock().unwrap(),
            "key_ids": *self.key_ids.lock().unwrap(),
            "bodies": *self.bodies.lock().unwrap(),
            "first_ns": self.first_ns.load(Ordering::SeqCst),
            "last_ns": self.last_ns.load(Ordering::SeqCst),
            "max_in_flight": self.max_in_flight.load(Ordering::SeqCst),
            "max_host_in_flight": self.max_host_in_flight.load(Ordering::SeqCst),
        })
    }
}

/// One sink host: its port and its requests in flight.
struct SinkHost {
    port: u16,
    in_flight: AtomicUsize,
    sink: Arc<Sink>,
}

fn unix_ns() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

/// Whether `path` is `/users/N/inbox`.
fn is_inbox_path(path: &str) -> bool {
    path.strip_prefix("/users/")
        .and_then(|rest| rest.strip_suffix("/inbox"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Every request to a sink host: count it, verify a sample, answer 202.
async fn sink_inbox(
    State(host): State<Arc<SinkHost>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let sink = &host.sink;
    let on_host = host.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    sink.max_host_in_flight.fetch_max(on_host, Ordering::SeqCst);
    let total = sink.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    sink.max_in_flight.fetch_max(total, Ordering::SeqCst);
    if !sink.latency.is_zero() {
        tokio::time::sleep(sink.latency).await;
    }
    let n = sink.requests.fetch_add(1, Ordering::SeqCst) + 1;
    let path = uri.path();
    if method != Method::POST || !is_inbox_path(path) {
        sink.unexpected.fetch_add(1, Ordering::SeqCst);
    }
    *sink
        .inboxes
        .lock()
        .unwrap()
        .entry(format!("{}{path}", host.port))
        .or_insert(0) += 1;
    *sink
        .bodies
        .lock()
        .unwrap()
        .entry(signatures::digest_header(&body))
        .or_insert(0) += 1;
    {
        let mut first = sink.first_body.lock().unwrap();
        if first.is_none() {
            *first = Some(body.clone());
        }
    }
    if n == 1 || n % sink.verify_every == 0 {
        match verify_sample(sink, host.port, &method, &uri, &headers, &body) {
            Ok(key_id) => {
                sink.verified.fetch_add(1, Ordering::SeqCst);
                *sink.key_ids.lock().unwrap().entry(key_id).or_insert(0) += 1;
            }
            Err(why) => {
                sink.verify_failed.fetch_add(1, Ordering::SeqCst);
                let mut failures = sink.failures.lock().unwrap();
                if failures.len() < 10 {
                    failures.push(format!("{} {path}: {why}", host.port));
                }
            }
        }
    }
    let now = unix_ns();
    sink.first_ns.fetch_min(now, Ordering::SeqCst);
    sink.last_ns.fetch_max(now, Ordering::SeqCst);
    sink.in_flight.fetch_sub(1, Ordering::SeqCst);
    host.in_flight.fetch_sub(1, Ordering::SeqCst);
    StatusCode::ACCEPTED
}

/// Verifies one request's signature as our inbox does (`signatures::parse`, then `verify`
/// with the key set by the last reset); returns the key id.
fn verify_sample(
    sink: &Sink,
    port: u16,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<String, String> {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let expected = format!("localhost:{port}");
    if host != expected {
        return Err(format!("Host header {host:?}, expected {expected:?}"));
    }
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    let target = Url::parse(&format!("http://{host}{path}")).map_err(|e| e.to_string())?;
    let request = IncomingRequest {
        method,
        target_uri: &target,
        headers,
        body,
    };
    let parsed = signatures::parse(&request, chrono::Utc::now(), signatures::DEFAULT_WINDOW)
        .map_err(|e| format!("parse: {e}"))?;
    let pem = sink.key_pem.lock().unwrap().clone();
    parsed
        .verify(&pem)
        .map_err(|e| format!("verify (key id {}): {e}", parsed.key_id()))?;
    Ok(parsed.key_id().to_string())
}

async fn control_reset(State(sink): State<Arc<Sink>>, body: String) -> StatusCode {
    sink.reset(body);
    StatusCode::NO_CONTENT
}

async fn control_stats(State(sink): State<Arc<Sink>>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        sink.stats().to_string(),
    )
        .into_response()
}

async fn control_body(State(sink): State<Arc<Sink>>) -> Response {
    match sink.first_body.lock().unwrap().clone() {
        Some(body) => body.into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The child process: starts the sink hosts and the control listener, prints
/// `FANOUT-SINKS-READY control=PORT ports=P1,P2,…`, and serves until its stdin closes (the
/// parent ended or dropped it).
fn sink_main() {
    let hosts: usize = std::env::var(SINK_HOSTS_ENV)
        .ok()
        .and_then(|v| v.parse().ok())
        .expect("MUTUAL_FANOUT_SINK_HOSTS");
    let sink = Arc::new(Sink {
        key_pem: Mutex::new(String::new()),
        verify_every: support::env_u64("MUTUAL_BENCH_VERIFY_EVERY", 50).max(1),
        latency: Duration::from_millis(support::env_u64("MUTUAL_BENCH_LATENCY_MS", 0)),
        requests: AtomicU64::new(0),
        unexpected: AtomicU64::new(0),
        inboxes: Mutex::new(HashMap::new()),
        bodies: Mutex::new(HashMap::new()),
        first_body: Mutex::new(None),
        key_ids: Mutex::new(HashMap::new()),
        verified: AtomicU64::new(0),
        verify_failed: AtomicU64::new(0),
        failures: Mutex::new(Vec::new()),
        first_ns: AtomicU64::new(u64::MAX),
        last_ns: AtomicU64::new(0),
        in_flight: AtomicUsize::new(0),
        max_in_flight: AtomicUsize::new(0),
        max_host_in_flight: AtomicUsize::new(0),
    });
    // Ends the child when the parent goes away (its end of our stdin closes).
    std::thread::spawn(|| {
        let mut sink = Vec::new();
        let _ = std::io::stdin().read_to_end(&mut sink);
        std::process::exit(0);
    });
    let runtime = support::runtime();
    runtime.block_on(async move {
        let mut ports = Vec::with_capacity(hosts);
        for _ in 0..hosts {
            let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind a sink");
            let port = listener.local_addr().expect("addr").port();
            ports.push(port.to_string());
            let host = Arc::new(SinkHost {
                port,
                in_flight: AtomicUsize::new(0),
                sink: sink.clone(),
            });
            let app = Router::new().fallback(sink_inbox).with_state(host);
            tokio::spawn(async move {
                let _ = axum::serve(listener, app).await;
            });
        }
        let control = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind control");
        let control_port = control.local_addr().expect("addr").port();
        let app = Router::new()
            .route("/reset", post(control_reset))
            .route("/stats", get(control_stats))
            .route("/body", get(control_body))
            .with_state(sink.clone());
        tokio::spawn(async move {
            let _ = axum::serve(control, app).await;
        });
        {
            let mut out = std::io::stdout().lock();
            writeln!(
                out,
                "{READY} control={control_port} ports={}",
                ports.join(",")
            )
            .expect("stdout");
            out.flush().expect("stdout");
        }
        std::future::pending::<()>().await;
    });
}

// ---------------------------------------------------------------------------------------------
// The sender (this process)
// ---------------------------------------------------------------------------------------------

/// How a process reaches the sinks: their ports, the control URL, the child's pid.
struct Sinks {
    ports: Vec<u16>,
    control: String,
    pid: u32,
    client: reqwest::Client,
}

/// The sink child process, owned by the orchestrating process.
struct SinkProcess {
    child: tokio::process::Child,
    sinks: Sinks,
}

impl SinkProcess {
    async fn start(hosts: usize) -> SinkProcess {
        let exe = std::env::current_exe().expect("this benchmark's path");
        let mut child = tokio::process::Command::new(exe)
            .env(SINK_ENV, "1")
            .env(SINK_HOSTS_ENV, hosts.to_string())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("start the sink process");
        let stdout = child.stdout.take().expect("the sinks' stdout");
        let mut lines = tokio::io::BufReader::new(stdout).lines();
        let line = tokio::time::timeout(Duration::from_secs(120), async {
            while let Some(line) = lines.next_line().await.expect("read the sinks' stdout") {
                if line.starts_with(READY) {
                    return line;
                }
            }
            panic!("the sink process ended before it was ready");
        })
        .await
        .expect("the sinks start within 2 minutes");
        let field = |name: &str| {
            line.split_whitespace()
                .find_map(|f| f.strip_prefix(name))
                .unwrap_or_default()
                .to_string()
        };
        let sinks = Sinks::new(
            &field("ports="),
            format!("http://127.0.0.1:{}", field("control=")),
            child.id().unwrap_or(0),
        );
        assert_eq!(sinks.ports.len(), hosts, "one port per sink host");
        SinkProcess { child, sinks }
    }

    async fn stop(mut self) {
        drop(self.child.stdin.take());
        if tokio::time::timeout(Duration::from_secs(5), self.child.wait())
            .await
            .is_err()
        {
            let _ = self.child.kill().await;
        }
    }
}

impl Sinks {
    fn new(ports: &str, control: String, pid: u32) -> Sinks {
        let ports = ports
            .split(',')
            .map(|p| p.parse().expect("a port"))
            .collect();
        let client = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(30))
            .build()
            .expect("a control client");
        Sinks {
            ports,
            control,
            pid,
            client,
        }
    }

    /// The variables a phase process finds the sinks by.
    fn env(&self) -> [(&'static str, String); 3] {
        let ports: Vec<String> = self.ports.iter().map(u16::to_string).collect();
        [
            (PORTS_ENV, ports.join(",")),
            (CONTROL_ENV, self.control.clone()),
            (PID_ENV, self.pid.to_string()),
        ]
    }

    /// The sinks as [`Sinks::env`] described them.
    fn from_env() -> Sinks {
        let var = |name: &str| std::env::var(name).unwrap_or_else(|_| panic!("{name} is set"));
        Sinks::new(
            &var(PORTS_ENV),
            var(CONTROL_ENV),
            var(PID_ENV).parse().expect("a pid"),
        )
    }

    /// Zeroes the counters; sampled signatures are verified with `public_key_pem` from now on.
    async fn reset(&self, public_key_pem: &str) {
        let response = self
            .client
            .post(format!("{}/reset", self.control))
            .body(public_key_pem.to_string())
            .send()
            .await
            .expect("reset the sinks");
        assert!(
            response.status().is_success(),
            "reset: {}",
            response.status()
        );
    }

    async fn stats(&self) -> Value {
        self.client
            .get(format!("{}/stats", self.control))
            .send()
            .await
            .expect("read the sinks' counts")
            .json()
            .await
            .expect("the sinks' counts are JSON")
    }

    /// The first body received since the last reset.
    async fn first_body(&self) -> Option<Bytes> {
        let response = self
            .client
            .get(format!("{}/body", self.control))
            .send()
            .await
            .expect("read a body from the sinks");
        if response.status().is_success() {
            Some(response.bytes().await.expect("a body"))
        } else {
            None
        }
    }
}

/// The inbox of follower `n`: on host `n / 10` (10 followers per host, in order).
fn inbox_url(ports: &[u16], n: usize, per_host: usize) -> String {
    let port = ports[(n / per_host) % ports.len()];
    format!("http://localhost:{port}/users/{n}/inbox")
}

/// A `/proc/self/status` field in KiB.
fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
}

/// CPU time (user + system) of a process, in seconds, from `/proc/PID/stat` (100 ticks/s).
fn cpu_secs(pid: Option<u32>) -> f64 {
    let path = pid.map_or("/proc/self/stat".to_string(), |p| format!("/proc/{p}/stat"));
    let Ok(stat) = std::fs::read_to_string(path) else {
        return 0.0;
    };
    // The fields after the command name (which may hold spaces) start with the state, field 3.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i - 3)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    (ticks(14) + ticks(15)) as f64 / 100.0
}

/// CPU seconds of the sender (this process) and of the sinks (the child).
#[derive(Clone, Copy)]
struct Cpu {
    sender: f64,
    sinks: f64,
}

impl Cpu {
    fn now(sinks: &Sinks) -> Cpu {
        Cpu {
            sender: cpu_secs(None),
            sinks: cpu_secs(Some(sinks.pid)),
        }
    }

    fn since(self, start: Cpu) -> Cpu {
        Cpu {
            sender: self.sender - start.sender,
            sinks: self.sinks - start.sinks,
        }
    }
}

/// The 1-minute load average (`/proc/loadavg`).
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_default()
}

/// Open file descriptors of this process (sockets of pooled connections, mostly).
fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(0, |d| d.count())
}

/// Peak RSS of this process (`VmHWM`), KiB.
fn peak_kib() -> u64 {
    status_kib("VmHWM:").unwrap_or(0)
}

/// Resets `VmHWM` to the current RSS (Linux ≥ 4.0); false when the kernel refuses.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn mib(kib: u64) -> String {
    format!("{:.1}", kib as f64 / 1024.0)
}

/// What one fan-out measured.
struct Fanout {
    expected: usize,
    stats: Value,
    /// From the start of publishing (ours) or of the first `queue_activity` (crate).
    started_ns: u64,
    /// How long the start call took: `publish` (the transaction writing the deliveries), or
    /// the loop handing out every `queue_activity` call.
    start_call: Duration,
    timed_out: bool,
    peak_kib: u64,
    peak_reset: bool,
    /// CPU used from the start to the end of the wait.
    cpu: Cpu,
    /// RSS (KiB) and open file descriptors (mostly pooled connections) at the end of the wait.
    rss_end_kib: u64,
    fds_end: usize,
}

impl Fanout {
    /// Waits until the sinks saw `followers` inboxes (or the deadline), then takes the
    /// figures: CPU since `cpu`, peak and final RSS, open descriptors.
    #[allow(clippy::too_many_arguments)]
    async fn wait(
        sinks: &Sinks,
        followers: usize,
        started: Instant,
        deadline: Duration,
        started_ns: u64,
        start_call: Duration,
        peak_reset: bool,
        cpu: Cpu,
    ) -> Fanout {
        let (stats, timed_out) = wait_for(sinks, followers, started, deadline).await;
        let cpu = Cpu::now(sinks).since(cpu);
        let (rss_end_kib, fds_end) = (support::rss_kib().unwrap_or(0), open_fds());
        Fanout {
            expected: followers,
            stats,
            started_ns,
            start_call,
            timed_out,
            peak_kib: peak_kib(),
            peak_reset,
            cpu,
            rss_end_kib,
            fds_end,
        }
    }

    fn num(&self, key: &str) -> u64 {
        self.stats[key].as_u64().unwrap_or(0)
    }

    fn distinct(&self) -> u64 {
        self.num("distinct")
    }

    /// Start to the last answer the sinks gave.
    fn to_last(&self) -> Duration {
        Duration::from_nanos(self.num("last_ns").saturating_sub(self.started_ns))
    }

    fn to_first(&self) -> Duration {
        Duration::from_nanos(self.num("first_ns").saturating_sub(self.started_ns))
    }

    fn rate(&self) -> f64 {
        self.distinct() as f64 / self.to_last().as_secs_f64().max(1e-9)
    }

    /// The figures the orchestrating process summarises.
    fn result(&self, name: &str, ok: bool) -> Value {
        json!({
            "name": name,
            "ok": ok,
            "rate": self.rate(),
            "to_last_s": self.to_last().as_secs_f64(),
            "peak_kib": self.peak_kib,
            "distinct": self.distinct(),
            "expected": self.expected,
            "bodies": self.stats["bodies"],
        })
    }

    /// Prints the common figures; returns false on a correctness failure. Inboxes never
    /// reached are one unless `missing_ok` (the baseline: the crate's debug mode drops a
    /// failed send after one try, by design).
    fn report(&self, name: &str, missing_ok: bool) -> bool {
        let mut ok = true;
        println!(
            "{name}: {}/{} inboxes reached in {:.2} s = {:.0} deliveries/s{}",
            self.distinct(),
            self.expected,
            self.to_last().as_secs_f64(),
            self.rate(),
            if self.timed_out {
                " (gave up waiting)"
            } else {
                ""
            },
        );
        println!(
            "  start call {} ms; first delivery after {} ms; last after {} ms",
            support::ms(self.start_call),
            support::ms(self.to_first()),
            support::ms(self.to_last()),
        );
        println!(
            "  requests {} ({} duplicates, at most {} to one inbox, {} unexpected); \
             in flight at most {} in all, {} on one host",
            self.num("requests"),
            self.num("duplicates"),
            self.num("max_per_inbox"),
            self.num("unexpected"),
            self.num("max_in_flight"),
            self.num("max_host_in_flight"),
        );
        let bodies = self.stats["bodies"].as_object().map_or(0, |b| b.len());
        println!(
            "  sampled signatures: {} verified, {} failed; key ids {}; distinct bodies {}",
            self.num("verified"),
            self.num("verify_failed"),
            self.stats["key_ids"],
            bodies,
        );
        println!(
            "  peak RSS of this process (VmHWM{}): {} MiB; at the end RSS {} MiB with {} open file descriptors",
            if self.peak_reset {
                ", reset just before"
            } else {
                ", since start: reset refused"
            },
            mib(self.peak_kib),
            mib(self.rss_end_kib),
            self.fds_end,
        );
        println!(
            "  CPU: sender {:.2} s ({:.0} µs per delivery, {:.2} cores busy), sinks {:.2} s; \
             load average {} (other work on the machine skews the figures)",
            self.cpu.sender,
            self.cpu.sender * 1e6 / self.distinct().max(1) as f64,
            self.cpu.sender / self.to_last().as_secs_f64().max(1e-9),
            self.cpu.sinks,
            load_average(),
        );
        if self.num("verify_failed") > 0 {
            ok = false;
            println!(
                "  !!! {} SAMPLED SIGNATURES FAILED TO VERIFY: {}",
                self.num("verify_failed"),
                self.stats["failures"]
            );
        }
        if self.distinct() as usize != self.expected {
            ok &= missing_ok;
            println!(
                "  {} {} of {} inboxes were never reached{}",
                if missing_ok { "!" } else { "!!!" },
                self.expected.saturating_sub(self.distinct() as usize),
                self.expected,
                if missing_ok {
                    " (a failed send is not retried in the crate's debug mode; RUST_LOG=warn shows why)"
                } else {
                    ""
                },
            );
        }
        if self.num("unexpected") > 0 {
            ok = false;
            println!("  !!! requests that were not a POST to an inbox");
        }
        if bodies > 1 {
            println!("  !!! the sinks received {bodies} different bodies");
        }
        ok
    }
}

/// Polls the sinks until `expected` inboxes are reached and no request came for [`QUIET`],
/// or the deadline passes, or nothing arrives for [`STALL`].
async fn wait_for(
    sinks: &Sinks,
    expected: usize,
    started: Instant,
    deadline: Duration,
) -> (Value, bool) {
    let mut last_progress = Instant::now();
    let mut last_requests = 0u64;
    let mut last_print = Instant::now();
    loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let stats = sinks.stats().await;
        let requests = stats["requests"].as_u64().unwrap_or(0);
        let distinct = stats["distinct"].as_u64().unwrap_or(0) as usize;
        if requests != last_requests {
            last_requests = requests;
            last_progress = Instant::now();
        }
        if distinct >= expected && last_progress.elapsed() >= QUIET {
            return (stats, false);
        }
        if started.elapsed() >= deadline || last_progress.elapsed() >= STALL {
            return (stats, true);
        }
        if last_print.elapsed() >= Duration::from_secs(5) {
            last_print = Instant::now();
            println!(
                "  … {distinct}/{expected} inboxes after {:.0} s, RSS {} MiB",
                started.elapsed().as_secs_f64(),
                mib(support::rss_kib().unwrap_or(0)),
            );
        }
    }
}

/// What our run hands to the baseline: the co-op's keys and actor, and the body sent.
#[derive(serde::Serialize, serde::Deserialize)]
struct Sent {
    actor: Url,
    private_key_pem: String,
    public_key_pem: String,
    body: String,
}

/// Our side on one database: a node, a co-op, `followers` accepted followers, one story.
async fn run_ours(
    backend: Backend,
    sinks: &Sinks,
    followers: usize,
    per_host: usize,
    deadline: Duration,
) -> (bool, Fanout, Option<Sent>) {
    println!("\n== ours on {} ==", backend.name());
    let database = BenchDatabase::fresh(backend).await;
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind the node");
    let addr = listener.local_addr().expect("addr");
    // The node's other settings come from `MUTUAL_*` variables as for `serve` (e.g. the
    // delivery engine's `MUTUAL_DELIVERY_CONCURRENCY`), or their defaults.
    let mut config = Config::load(None).expect("MUTUAL_* settings");
    config.database_url = database.url.clone();
    config.bind = addr;
    config.public_url =
        Some(Url::parse(&format!("http://localhost:{}", addr.port())).expect("url"));
    config.allow_private_networks = true;
    config.directory = DirectorySetting::Flag(false);
    let node = Node::open(config).await.expect("open the node");
    let input = ProfileInput {
        name: Some("Fan-out Film Co-op".into()),
        summary: Some("A cinema co-op with a great many followers.".into()),
        nation: Some("england".into()),
        region: Some("north-west".into()),
        sectors: vec!["film".into()],
        ..Default::default()
    };
    let coop = coops::create(&node, HANDLE, &input)
        .await
        .expect("create the co-op");

    let seed_started = Instant::now();
    let now = mutual::now_ms();
    let ids: Vec<usize> = (0..followers).collect();
    for chunk in ids.chunks(500) {
        let mut tx = db::begin(&node.db).await.expect("begin");
        for &n in chunk {
            let inbox = inbox_url(&sinks.ports, n, per_host);
            let actor = inbox.trim_end_matches("/inbox").to_string();
            let follow_id = format!("{actor}/follows/1");
            let state = db::followers::upsert(
                &mut tx,
                &NewFollower {
                    coop_id: coop.row.id,
                    actor_id: &actor,
                    inbox: &inbox,
                    shared_inbox: None,
                    follow_id: &follow_id,
                    state: "accepted",
                },
                now,
            )
            .await
            .expect("insert a follower");
            assert_eq!(state, "accepted");
        }
        tx.commit().await.expect("commit");
    }
    let accepted = {
        let mut conn = node.db.acquire().await.expect("conn");
        db::followers::count_accepted(&mut conn, coop.row.id)
            .await
            .expect("count")
    };
    assert_eq!(accepted as usize, followers, "accepted followers");
    println!(
        "seeded {followers} accepted followers on {} hosts in {:.1} s; RSS {} MiB, peak so far {} MiB",
        sinks.ports.len(),
        seed_started.elapsed().as_secs_f64(),
        mib(support::rss_kib().unwrap_or(0)),
        mib(peak_kib()),
    );

    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(app::serve(node.clone(), listener, async {
        let _ = stop_rx.await;
    }));
    sinks.reset(&coop.row.public_key_pem).await;
    // Let the workers start and find the queue empty.
    tokio::time::sleep(Duration::from_millis(500)).await;

    let peak_reset = reset_peak();
    let signs_before = keys::signatures_made();
    let cpu = Cpu::now(sinks);
    let started = Instant::now();
    let started_ns = unix_ns();
    let tags = vec!["film".to_string(), "winterseason".to_string()];
    let story = stories::publish(&node, HANDLE, TITLE, BODY, &tags)
        .await
        .expect("publish the story");
    let start_call = started.elapsed();
    let fanout = Fanout::wait(
        sinks, followers, started, deadline, started_ns, start_call, peak_reset, cpu,
    )
    .await;
    let signatures = keys::signatures_made() - signs_before;
    let mut ok = fanout.report(&format!("ours ({})", backend.name()), false);
    let distinct = fanout.distinct();
    println!(
        "  signatures made {signatures}, distinct inboxes reached {distinct}: {}",
        if signatures == distinct {
            "equal"
        } else {
            "!!! MISMATCH"
        }
    );
    ok &= signatures == distinct;
    println!("  story {}", story.url(&node.base));

    let body = sinks.first_body().await;
    let _ = stop_tx.send(());
    let _ = tokio::time::timeout(Duration::from_secs(30), serving).await;
    let sent = body.map(|body| Sent {
        actor: mutual::federation::urls::coop(&node.base, HANDLE),
        private_key_pem: coop.row.private_key_pem.clone(),
        public_key_pem: coop.row.public_key_pem.clone(),
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    node.db.close().await;
    drop(node);
    database.drop_now().await;
    (ok, fanout, sent)
}

// --- the baseline: activitypub_federation's queue_activity ---------------------------------

/// An activity sent as the exact JSON our node sent.
#[derive(Debug)]
struct RawActivity {
    id: Url,
    actor: Url,
    body: Value,
}

impl Serialize for RawActivity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.body.serialize(serializer)
    }
}

#[async_trait::async_trait]
impl Activity for RawActivity {
    type DataType = ();
    type Error = activitypub_federation::error::Error;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        &self.actor
    }

    async fn verify(&self, _data: &Data<()>) -> Result<(), Self::Error> {
        Ok(())
    }

    async fn receive(self, _data: &Data<()>) -> Result<(), Self::Error> {
        Ok(())
    }
}

/// The co-op as the crate's sending actor (only its id and keys are used).
#[derive(Debug, Clone)]
struct SendingActor {
    id: Url,
    inbox: Url,
    public_key_pem: String,
    private_key_pem: String,
}

#[async_trait::async_trait]
impl Object for SendingActor {
    type DataType = ();
    type Kind = ();
    type Error = activitypub_federation::error::Error;

    fn id(&self) -> &Url {
        &self.id
    }

    async fn read_from_id(_id: Url, _data: &Data<()>) -> Result<Option<Self>, Self::Error> {
        Ok(None)
    }

    async fn into_json(self, _data: &Data<()>) -> Result<(), Self::Error> {
        Ok(())
    }

    async fn verify(_json: &(), _domain: &Url, _data: &Data<()>) -> Result<(), Self::Error> {
        Ok(())
    }

    async fn from_json(_json: (), _data: &Data<()>) -> Result<Self, Self::Error> {
        Err(activitypub_federation::error::Error::Other(
            "the benchmark's sender is never read from JSON".into(),
        ))
    }
}

impl Actor for SendingActor {
    fn public_key_pem(&self) -> &str {
        &self.public_key_pem
    }

    fn private_key_pem(&self) -> Option<String> {
        Some(self.private_key_pem.clone())
    }

    fn inbox(&self) -> Url {
        self.inbox.clone()
    }
}

/// The same body to the same inboxes through `queue_activity` (see the module doc).
async fn run_crate(
    sinks: &Sinks,
    sent: &Sent,
    followers: usize,
    per_host: usize,
    workers: usize,
    deadline: Duration,
) -> (bool, Fanout) {
    println!(
        "\n== activitypub_federation 0.7.0-beta.14 queue_activity (debug mode, {} concurrent) ==",
        if workers == 0 {
            "unbounded".to_string()
        } else {
            workers.to_string()
        }
    );
    let body: Value = serde_json::from_str(&sent.body).expect("the body is JSON");
    let field =
        |key: &str| -> Url { Url::parse(body[key].as_str().expect("an id")).expect("a URL") };
    let activity = Arc::new(RawActivity {
        id: field("id"),
        actor: field("actor"),
        body: body.clone(),
    });
    let actor = Arc::new(SendingActor {
        id: sent.actor.clone(),
        inbox: sent.actor.join("inbox").expect("url"),
        public_key_pem: sent.public_key_pem.clone(),
        private_key_pem: sent.private_key_pem.clone(),
    });
    // The crate's default client (`config::default_client`), with the DNS check off as in
    // its debug builds: in release its resolver refuses loopback addresses.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .connect_timeout(Duration::from_secs(10))
        .dns_resolver(ValidatingDnsResolver::new(vec![], false))
        .build()
        .expect("a client");
    let domain = sent
        .actor
        .host_str()
        .map(|h| format!("{h}:{}", sent.actor.port().unwrap_or(80)))
        .expect("a host");
    let config = FederationConfig::builder()
        .domain(domain)
        .app_data(())
        .debug(true)
        .client(client.into())
        .request_timeout(Duration::from_secs(10))
        .build()
        .await
        .expect("a federation config");
    let data = config.to_request_data();
    let inboxes: Vec<Url> = (0..followers)
        .map(|n| Url::parse(&inbox_url(&sinks.ports, n, per_host)).expect("url"))
        .collect();
    sinks.reset(&sent.public_key_pem).await;

    let peak_reset = reset_peak();
    let cpu = Cpu::now(sinks);
    let started = Instant::now();
    let started_ns = unix_ns();
    let limit = (workers > 0).then(|| Arc::new(tokio::sync::Semaphore::new(workers)));
    let mut tasks = tokio::task::JoinSet::new();
    let errors = Arc::new(AtomicU64::new(0));
    for inbox in inboxes {
        let permit = match &limit {
            Some(limit) => Some(limit.clone().acquire_owned().await.expect("semaphore")),
            None => None,
        };
        let (activity, actor, data, errors) = (
            activity.clone(),
            actor.clone(),
            data.clone(),
            errors.clone(),
        );
        tasks.spawn(async move {
            if queue_activity(&*activity, &*actor, vec![inbox], &data)
                .await
                .is_err()
            {
                errors.fetch_add(1, Ordering::SeqCst);
            }
            drop(permit);
        });
        while tasks.try_join_next().is_some() {}
    }
    let start_call = started.elapsed();
    while tasks.join_next().await.is_some() {}
    let fanout = Fanout::wait(
        sinks, followers, started, deadline, started_ns, start_call, peak_reset, cpu,
    )
    .await;
    let mut ok = fanout.report("crate", true);
    let ours = signatures::digest_header(sent.body.as_bytes());
    let same = fanout.stats["bodies"]
        .as_object()
        .is_some_and(|b| b.len() == 1 && b.contains_key(&ours));
    println!(
        "  body: {}",
        if same {
            "the same bytes as ours (same digest)"
        } else {
            "!!! differs from the body our node sent"
        }
    );
    ok &= same;
    println!("  queue_activity errors: {}", errors.load(Ordering::SeqCst));
    (ok, fanout)
}

/// The sizes every process derives from the environment.
struct Sizes {
    followers: usize,
    hosts: usize,
    per_host: usize,
    deadline: Duration,
    workers: usize,
}

impl Sizes {
    fn from_env() -> Sizes {
        let followers = support::scaled(FOLLOWERS, 10);
        let hosts = match support::env_u64("MUTUAL_BENCH_HOSTS", 0) {
            0 => support::scaled(HOSTS, 1),
            n => n as usize,
        }
        .min(followers);
        Sizes {
            followers,
            hosts,
            per_host: followers.div_ceil(hosts),
            deadline: Duration::from_secs(support::env_u64("MUTUAL_BENCH_DEADLINE_SECS", 900)),
            workers: support::env_u64("MUTUAL_BENCH_CRATE_WORKERS", 128) as usize,
        }
    }
}

/// A phase process: one fan-out (`sqlite`, `postgres` or `crate`) against the sinks the
/// orchestrating process started. It writes its figures as JSON to `MUTUAL_FANOUT_RESULT`.
fn phase_main(phase: &str) {
    let runtime = support::runtime();
    runtime.block_on(async {
        let sizes = Sizes::from_env();
        let sinks = Sinks::from_env();
        let sent_path = std::env::var(SENT_ENV).expect("MUTUAL_FANOUT_SENT");
        let result = match phase {
            "sqlite" | "postgres" => {
                let backend = if phase == "sqlite" {
                    Backend::Sqlite
                } else {
                    Backend::Postgres
                };
                let (ok, fanout, sent) = run_ours(
                    backend,
                    &sinks,
                    sizes.followers,
                    sizes.per_host,
                    sizes.deadline,
                )
                .await;
                if let Some(sent) = sent {
                    let text = serde_json::to_string(&sent).expect("JSON");
                    std::fs::write(&sent_path, text).expect("write what was sent");
                }
                fanout.result(&format!("ours ({})", backend.name()), ok)
            }
            "crate" => {
                let text = std::fs::read_to_string(&sent_path).expect("read what our node sent");
                let sent: Sent = serde_json::from_str(&text).expect("what our node sent");
                let (ok, fanout) = run_crate(
                    &sinks,
                    &sent,
                    sizes.followers,
                    sizes.per_host,
                    sizes.workers,
                    sizes.deadline,
                )
                .await;
                fanout.result("crate", ok)
            }
            other => panic!("unknown phase {other:?}"),
        };
        let path = std::env::var(RESULT_ENV).expect("MUTUAL_FANOUT_RESULT");
        std::fs::write(path, result.to_string()).expect("write the result");
    });
}

/// Runs one phase in a process of its own (so each peak RSS is that phase's alone) and
/// reads its result.
async fn run_phase(phase: &str, sinks: &Sinks, dir: &std::path::Path) -> Value {
    let result_path = dir.join(format!("{phase}.json"));
    let exe = std::env::current_exe().expect("this benchmark's path");
    let status = tokio::process::Command::new(exe)
        .env(PHASE_ENV, phase)
        .envs(sinks.env())
        .env(SENT_ENV, dir.join("sent.json"))
        .env(RESULT_ENV, &result_path)
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true)
        .status()
        .await
        .expect("run a phase process");
    match std::fs::read_to_string(&result_path) {
        Ok(text) if status.success() => serde_json::from_str(&text).expect("a result"),
        _ => {
            println!("!!! the {phase} phase failed ({status})");
            json!({ "name": phase, "ok": false, "failed": true })
        }
    }
}

async fn bench() -> bool {
    let sizes = Sizes::from_env();
    let baseline = std::env::var("MUTUAL_BENCH_CRATE").map_or(true, |v| v != "0");
    println!(
        "fanout: one story to {} followers over {} hosts ({} per host, scale {}), {} CPUs; \
         sinks answer 202 after {} ms and verify 1 signature in {}; each fan-out runs in a \
         process of its own",
        sizes.followers,
        sizes.hosts,
        sizes.per_host,
        support::scale(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        support::env_u64("MUTUAL_BENCH_LATENCY_MS", 0),
        support::env_u64("MUTUAL_BENCH_VERIFY_EVERY", 50).max(1),
    );
    let process = SinkProcess::start(sizes.hosts).await;
    println!(
        "sinks: {} hosts in child process {}",
        process.sinks.ports.len(),
        process.sinks.pid,
    );
    let dir = tempfile::tempdir().expect("a temp dir");

    let mut ours = Vec::new();
    for backend in support::backends() {
        let phase = match backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        };
        ours.push(run_phase(phase, &process.sinks, dir.path()).await);
    }
    let crate_run = if !baseline {
        println!("\nbaseline skipped (MUTUAL_BENCH_CRATE=0)");
        None
    } else if !dir.path().join("sent.json").exists() {
        println!("\nbaseline skipped: our side sent nothing to copy");
        None
    } else {
        Some(run_phase("crate", &process.sinks, dir.path()).await)
    };
    process.stop().await;

    println!("\n== summary ==");
    let figures = |r: &Value| {
        format!(
            "{:.0} deliveries/s, last after {:.2} s, peak RSS {} MiB",
            r["rate"].as_f64().unwrap_or(0.0),
            r["to_last_s"].as_f64().unwrap_or(0.0),
            mib(r["peak_kib"].as_u64().unwrap_or(0)),
        )
    };
    let crate_rate = crate_run
        .as_ref()
        .and_then(|c| c["rate"].as_f64())
        .filter(|r| *r > 0.0);
    let mut ok = crate_run.as_ref().is_none_or(|c| c["ok"] == json!(true));
    for r in &ours {
        ok &= r["ok"] == json!(true);
        let rate = r["rate"].as_f64().unwrap_or(0.0);
        let ratio = crate_rate.map(|c| rate / c);
        println!(
            "{}: {}; ratio ours/crate {}",
            r["name"].as_str().unwrap_or("?"),
            figures(r),
            ratio.map_or("-".to_string(), |x| format!("{x:.2}×")),
        );
        let met = |yes: bool| if yes { "met" } else { "MISSED" };
        println!(
            "  targets: ≥ 3× the crate {}; ≥ 3,000 deliveries/s {}; peak RSS < 100 MiB {}",
            ratio.map_or("not measured", |x| met(x >= 3.0)),
            met(rate >= 3000.0),
            met(r["peak_kib"].as_u64().unwrap_or(u64::MAX) < 100 * 1024),
        );
    }
    if let Some(c) = &crate_run {
        println!("crate: {}", figures(c));
    }
    ok
}
