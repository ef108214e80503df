//! A scriptable fake remote server: it serves actor documents with real keys and records
//! what arrives in its inboxes, so tests can send signed requests as "another server".

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use http::Method;
use mutual::federation::signatures::cavage;
use mutual::federation::signatures::keys::{SigningKey, generate_rsa_keypair};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use url::Url;

/// One actor the peer serves.
#[derive(Clone)]
pub struct PeerActor {
    pub id: Url,
    pub key_id: String,
    pub key: SigningKey,
    pub public_key_pem: String,
}

#[derive(Default)]
struct Shared {
    /// Served documents by path (actors, or anything a test wants fetchable).
    documents: HashMap<String, Value>,
    /// Bodies POSTed to any inbox.
    received: Vec<Value>,
    /// Paths and headers of every GET.
    gets: Vec<(String, HeaderMap)>,
    /// Paths that answer 410 Gone.
    gone: Vec<String>,
}

/// The fake server.
#[derive(Clone)]
pub struct Peer {
    pub base: Url,
    shared: Arc<Mutex<Shared>>,
}

async fn serve_document(
    State(peer): State<Peer>,
    Path(path): Path<String>,
    headers: HeaderMap,
) -> Response {
    let path = format!("/{path}");
    let mut shared = peer.shared.lock().unwrap();
    shared.gets.push((path.clone(), headers));
    let doc = shared.documents.get(&path).cloned();
    let gone = shared.gone.contains(&path);
    drop(shared);
    if gone {
        return StatusCode::GONE.into_response();
    }
    match doc {
        Some(doc) => (
            [(header::CONTENT_TYPE, "application/activity+json")],
            doc.to_string(),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// Answers only after 12 s: longer than the node's 10 s timeout.
async fn slow() -> StatusCode {
    tokio::time::sleep(std::time::Duration::from_secs(12)).await;
    StatusCode::OK
}

async fn receive(State(peer): State<Peer>, body: Bytes) -> StatusCode {
    if let Ok(value) = serde_json::from_slice::<Value>(&body) {
        peer.shared.lock().unwrap().received.push(value);
    }
    StatusCode::ACCEPTED
}

impl Peer {
    /// Starts a peer at `http://localhost:<port>`.
    pub async fn spawn() -> Peer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let peer = Peer {
            base: Url::parse(&format!("http://localhost:{port}")).unwrap(),
            shared: Arc::new(Mutex::new(Shared::default())),
        };
        let app = Router::new()
            .route("/inbox", post(receive))
            .route("/users/{name}/inbox", post(receive))
            .route("/slow", get(slow))
            .route("/{*path}", get(serve_document))
            .with_state(peer.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        peer
    }

    /// Serves `doc` at `path`.
    pub fn serve(&self, path: &str, doc: Value) {
        self.shared
            .lock()
            .unwrap()
            .documents
            .insert(path.to_string(), doc);
    }

    /// Creates and serves a Person at `/users/{name}` with a fresh key.
    pub fn actor(&self, name: &str) -> PeerActor {
        let pair = generate_rsa_keypair().unwrap();
        let id = self.base.join(&format!("/users/{name}")).unwrap();
        let key_id = format!("{id}#main-key");
        let doc = json!({
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": id,
            "type": "Person",
            "preferredUsername": name,
            "inbox": format!("{id}/inbox"),
            "endpoints": { "sharedInbox": self.base.join("/inbox").unwrap() },
            "publicKey": { "id": key_id, "owner": id, "publicKeyPem": pair.public_key_pem },
        });
        self.serve(&format!("/users/{name}"), doc);
        PeerActor {
            id,
            key_id,
            key: SigningKey::from_pem(&pair.private_key_pem).unwrap(),
            public_key_pem: pair.public_key_pem,
        }
    }

    /// Everything POSTed to this peer's inboxes so far.
    pub fn received(&self) -> Vec<Value> {
        self.shared.lock().unwrap().received.clone()
    }

    /// The headers of every GET so far, with their paths.
    pub fn gets(&self) -> Vec<(String, HeaderMap)> {
        self.shared.lock().unwrap().gets.clone()
    }

    /// The received activities of one type.
    pub fn received_of(&self, kind: &str) -> Vec<Value> {
        self.received()
            .into_iter()
            .filter(|a| a["type"] == kind)
            .collect()
    }
}

impl PeerActor {
    /// Signs a POST of `body` to `url` as this actor (draft-cavage, as Mastodon does).
    pub fn signed_headers(&self, url: &Url, body: &[u8]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            "application/activity+json".parse().unwrap(),
        );
        cavage::sign_request(
            &Method::POST,
            url,
            &mut headers,
            Some(body),
            &self.key_id,
            &self.key,
        )
        .unwrap();
        headers
    }

    /// POSTs `body` signed by this actor; returns the status and the response text.
    pub async fn post(&self, url: &Url, body: &[u8]) -> (u16, String) {
        let headers = self.signed_headers(url, body);
        post_raw(url, headers, body.to_vec()).await
    }
}

/// POSTs with exactly these headers.
pub async fn post_raw(url: &Url, headers: HeaderMap, body: Vec<u8>) -> (u16, String) {
    let response = super::http()
        .post(url.clone())
        .headers(headers)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

impl Peer {
    /// Serves a real actor document from another server (a fixture), moved to this peer at
    /// `path` and given a fresh key, so activities can be signed "as" that server would.
    pub fn actor_from_fixture(&self, fixture: &Value, path: &str) -> PeerActor {
        let old_id = fixture["id"].as_str().unwrap().to_string();
        let old_key_id = fixture["publicKey"]["id"].as_str().unwrap().to_string();
        let old_origin = Url::parse(&old_id).unwrap().origin().ascii_serialization();
        let id = self.base.join(path).unwrap();
        let text = fixture
            .to_string()
            .replace(&old_id, id.as_str())
            .replace(&old_origin, self.base.as_str().trim_end_matches('/'));
        let mut doc: Value = serde_json::from_str(&text).unwrap();
        let pair = generate_rsa_keypair().unwrap();
        doc["publicKey"]["publicKeyPem"] = json!(pair.public_key_pem);
        let key_id = doc["publicKey"]["id"].as_str().unwrap().to_string();
        assert_ne!(key_id, old_key_id, "the key id moved with the actor");
        self.serve(path, doc);
        PeerActor {
            id,
            key_id,
            key: SigningKey::from_pem(&pair.private_key_pem).unwrap(),
            public_key_pem: pair.public_key_pem,
        }
    }

    /// Makes a path answer 410 Gone from now on.
    pub fn gone(&self, path: &str) {
        self.shared.lock().unwrap().gone.push(path.to_string());
    }

    /// Forgets a served document (the actor is gone: 404 from now on).
    pub fn unserve(&self, path: &str) {
        self.shared.lock().unwrap().documents.remove(path);
    }
}

/// Loads a fixture from tests/fixtures.
pub fn fixture(path: &str) -> Value {
    let full = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&full).unwrap()).unwrap()
}

/// Rewrites a fixture activity: its server's origin becomes the peer's, and `object_from`
/// (the followed actor in the original capture) becomes `object_to`.
pub fn moved(
    activity: &Value,
    from_origin: &str,
    to: &Url,
    object_from: &str,
    object_to: &Url,
) -> Vec<u8> {
    activity
        .to_string()
        .replace(object_from, object_to.as_str())
        .replace(from_origin, to.as_str().trim_end_matches('/'))
        .into_bytes()
}
