//! Sink hosts for delivery tests. Each is `http://localhost:<port>` with inboxes at
//! `/users/{n}/inbox`; it verifies every POST's draft-cavage signature against the keys it
//! trusts (401 otherwise), records what arrived and when (on tokio's clock, so paused-time
//! tests can read the schedule), and answers by script.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use mutual::app::Node;
use mutual::db::followers::NewFollower;
use mutual::federation::signatures::keys::{SigningKey, generate_rsa_keypair};
use mutual::federation::signatures::{self, IncomingRequest};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use url::Url;

use super::peer::PeerActor;

/// One POST that reached a sink.
#[derive(Debug, Clone)]
pub struct Arrival {
    /// The inbox URL.
    pub inbox: String,
    pub activity_id: String,
    pub kind: String,
    /// The activity's `actor`.
    pub actor: String,
    /// The activity's `object` when it is a URL (an Announce's boosted post).
    pub object: String,
    /// When it arrived, on tokio's clock.
    pub at: tokio::time::Instant,
    /// The status the sink answered.
    pub status: u16,
}

/// An answer: a status, with a `Retry-After` value when given.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub retry_after: Option<String>,
}

impl Reply {
    pub fn status(status: u16) -> Reply {
        Reply {
            status,
            retry_after: None,
        }
    }
}

struct State_ {
    /// Public keys by key id.
    trusted: Mutex<HashMap<String, String>>,
    arrivals: Mutex<Vec<Arrival>>,
    /// Answers to give first, in order; then `default`.
    script: Mutex<VecDeque<Reply>>,
    default: Mutex<Reply>,
    delay: Mutex<Duration>,
    in_flight: AtomicUsize,
    unverified: AtomicUsize,
    /// Actor documents served at `/users/{n}`.
    documents: Mutex<HashMap<String, Value>>,
}

/// A sink host.
#[derive(Clone)]
pub struct Sink {
    pub base: Url,
    state: Arc<State_>,
}

impl Sink {
    /// Starts a sink answering 202 at once.
    pub async fn spawn() -> Sink {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let sink = Sink {
            base: Url::parse(&format!("http://localhost:{port}")).unwrap(),
            state: Arc::new(State_ {
                trusted: Mutex::new(HashMap::new()),
                arrivals: Mutex::new(Vec::new()),
                script: Mutex::new(VecDeque::new()),
                default: Mutex::new(Reply::status(202)),
                delay: Mutex::new(Duration::ZERO),
                in_flight: AtomicUsize::new(0),
                unverified: AtomicUsize::new(0),
                documents: Mutex::new(HashMap::new()),
            }),
        };
        let app = Router::new()
            .route("/users/{n}/inbox", post(receive))
            .route("/users/{n}", get(document))
            .route("/inbox", post(receive))
            .with_state(sink.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        sink
    }

    /// Starts `n` sinks.
    pub async fn spawn_many(n: usize) -> Vec<Sink> {
        let mut sinks = Vec::with_capacity(n);
        for _ in 0..n {
            sinks.push(Sink::spawn().await);
        }
        sinks
    }

    /// `host:port`
    pub fn host(&self) -> String {
        format!(
            "{}:{}",
            self.base.host_str().unwrap(),
            self.base.port().unwrap()
        )
    }

    /// The inbox of user `n` here.
    pub fn inbox(&self, n: usize) -> String {
        self.base
            .join(&format!("/users/{n}/inbox"))
            .unwrap()
            .to_string()
    }

    /// Accepts signatures made with this key.
    pub fn trust(&self, key_id: &str, public_key_pem: &str) {
        self.state
            .trusted
            .lock()
            .unwrap()
            .insert(key_id.to_string(), public_key_pem.to_string());
    }

    /// Answers these first, in order.
    pub fn script(&self, replies: impl IntoIterator<Item = Reply>) {
        self.state.script.lock().unwrap().extend(replies);
    }

    /// Answers this once the script is used up.
    pub fn answer(&self, reply: Reply) {
        *self.state.default.lock().unwrap() = reply;
    }

    /// Waits this long before answering (after recording the arrival).
    pub fn delay(&self, delay: Duration) {
        *self.state.delay.lock().unwrap() = delay;
    }

    /// Serves a Person at `/users/{n}` (inbox `/users/{n}/inbox`) with a fresh key, so the
    /// sink can also send signed activities.
    pub fn actor(&self, n: usize) -> PeerActor {
        let pair = generate_rsa_keypair().unwrap();
        let id = self.base.join(&format!("/users/{n}")).unwrap();
        let key_id = format!("{id}#main-key");
        let doc = json!({
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": id, "type": "Person", "preferredUsername": format!("user{n}"),
            "inbox": format!("{id}/inbox"),
            "publicKey": { "id": key_id, "owner": id, "publicKeyPem": pair.public_key_pem },
        });
        self.state
            .documents
            .lock()
            .unwrap()
            .insert(n.to_string(), doc);
        PeerActor {
            id,
            key_id,
            key: SigningKey::from_pem(&pair.private_key_pem).unwrap(),
            public_key_pem: pair.public_key_pem,
        }
    }

    pub fn arrivals(&self) -> Vec<Arrival> {
        self.state.arrivals.lock().unwrap().clone()
    }

    /// Requests being answered right now.
    pub fn in_flight(&self) -> usize {
        self.state.in_flight.load(Ordering::SeqCst)
    }

    /// POSTs whose signature did not verify.
    pub fn unverified(&self) -> usize {
        self.state.unverified.load(Ordering::SeqCst)
    }
}

async fn document(State(sink): State<Sink>, Path(n): Path<String>) -> Response {
    match sink.state.documents.lock().unwrap().get(&n) {
        Some(doc) => (
            [("content-type", "application/activity+json")],
            doc.to_string(),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn receive(
    State(sink): State<Sink>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let state = &sink.state;
    state.in_flight.fetch_add(1, Ordering::SeqCst);
    let inbox = sink.base.join(uri.path()).unwrap();
    let verified = verify(state, &method, &inbox, &headers, &body);
    let activity: Value = serde_json::from_slice(&body).unwrap_or_default();
    let reply = if verified {
        let scripted = state.script.lock().unwrap().pop_front();
        scripted.unwrap_or_else(|| state.default.lock().unwrap().clone())
    } else {
        state.unverified.fetch_add(1, Ordering::SeqCst);
        Reply::status(401)
    };
    state.arrivals.lock().unwrap().push(Arrival {
        inbox: inbox.to_string(),
        activity_id: activity["id"].as_str().unwrap_or_default().to_string(),
        kind: activity["type"].as_str().unwrap_or_default().to_string(),
        actor: activity["actor"].as_str().unwrap_or_default().to_string(),
        object: activity["object"].as_str().unwrap_or_default().to_string(),
        at: tokio::time::Instant::now(),
        status: reply.status,
    });
    let delay = *state.delay.lock().unwrap();
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    state.in_flight.fetch_sub(1, Ordering::SeqCst);
    let status = StatusCode::from_u16(reply.status).unwrap();
    match reply.retry_after {
        Some(value) => (status, [("retry-after", value)]).into_response(),
        None => status.into_response(),
    }
}

fn verify(state: &State_, method: &Method, url: &Url, headers: &HeaderMap, body: &[u8]) -> bool {
    let request = IncomingRequest {
        method,
        target_uri: url,
        headers,
        body,
    };
    let Ok(parsed) = signatures::parse(&request, chrono::Utc::now(), chrono::Duration::hours(1))
    else {
        return false;
    };
    let pem = state
        .trusted
        .lock()
        .unwrap()
        .get(parsed.key_id().as_str())
        .cloned();
    pem.is_some_and(|pem| parsed.verify(&pem).is_ok())
}

/// Records accepted followers of co-op `handle` with these personal inboxes (no shared
/// inbox), actor ids `…/users/N`, as if each had sent a Follow.
pub async fn add_followers(node: &Node, handle: &str, inboxes: &[String]) {
    add_followers_sharing(node, handle, inboxes, None).await
}

/// [`add_followers`], each follower also naming `shared_inbox`.
pub async fn add_followers_sharing(
    node: &Node,
    handle: &str,
    inboxes: &[String],
    shared_inbox: Option<&str>,
) {
    let coop = mutual::content::coops::find(node, handle).await.unwrap();
    let mut conn = node.db.acquire().await.unwrap();
    for inbox in inboxes {
        let actor = inbox.trim_end_matches("/inbox").to_string();
        let follow_id = format!("{actor}#follow");
        let follower = NewFollower {
            coop_id: coop.row.id,
            actor_id: &actor,
            inbox,
            shared_inbox,
            follow_id: &follow_id,
            state: "accepted",
        };
        mutual::db::followers::upsert(&mut conn, &follower, mutual::now_ms())
            .await
            .unwrap();
    }
}

/// Makes every sink trust co-op `handle`'s key.
pub async fn trust_coop(node: &Node, handle: &str, sinks: &[Sink]) {
    let coop = mutual::content::coops::find(node, handle).await.unwrap();
    let key_id = mutual::federation::urls::coop_key(&node.base, handle);
    for sink in sinks {
        sink.trust(key_id.as_str(), &coop.row.public_key_pem);
    }
}

/// Keeps a current-thread runtime busy, so that while tokio's clock is paused it never
/// jumps ahead by itself during real I/O (database, HTTP); tests move it with `advance`.
pub struct Spinner(tokio::task::JoinHandle<()>);

impl Spinner {
    pub fn start() -> Spinner {
        Spinner(tokio::spawn(async {
            loop {
                // Sleeping the thread a little keeps several paused tests from starving
                // each other (and the database's threads) of the machine's cores.
                std::thread::sleep(Duration::from_micros(200));
                tokio::task::yield_now().await;
            }
        }))
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Polls `check` in real time (it works while tokio's clock is paused), panicking with
/// `what` after `secs` seconds. When `nudge` is set and nothing happened for 300 ms, tokio's
/// clock is moved on by half a second (the engine's poll), in case a worker was left
/// waiting on a timer. Returns the value and how far the clock was nudged.
pub async fn until<T, F, Fut>(secs: u64, what: &str, nudge: bool, mut check: F) -> (T, Duration)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let started = std::time::Instant::now();
    let mut last_nudge = started;
    let mut nudged = Duration::ZERO;
    loop {
        if let Some(value) = check().await {
            return (value, nudged);
        }
        assert!(
            started.elapsed() < Duration::from_secs(secs),
            "timed out after {secs}s waiting for: {what}"
        );
        if nudge && last_nudge.elapsed() > Duration::from_millis(300) {
            tokio::time::advance(Duration::from_millis(500)).await;
            nudged += Duration::from_millis(500);
            last_nudge = std::time::Instant::now();
        }
        tokio::task::yield_now().await;
    }
}

/// Lets the node run for `ms` of real time without moving tokio's (paused) clock.
pub async fn idle(ms: u64) {
    let started = std::time::Instant::now();
    until(5, "", false, || async {
        (started.elapsed() >= Duration::from_millis(ms)).then_some(())
    })
    .await;
}

/// A check for [`super::eventually`]: the first arrival of an activity `kind` at `sink`.
pub fn arrived(
    sink: &Sink,
    kind: &'static str,
) -> impl FnMut() -> std::pin::Pin<Box<dyn std::future::Future<Output = Option<Arrival>> + Send>> {
    let sink = sink.clone();
    move || {
        let sink = sink.clone();
        Box::pin(async move { sink.arrivals().into_iter().find(|a| a.kind == kind) })
    }
}
