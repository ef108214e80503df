//! The one fetch client: budget, size cap, content type, and the private-address policy.

use mutual::federation::fetch::{FETCH_BUDGET, FetchBudget, Fetcher, Signer, is_public};
use mutual::federation::signatures::keys::{SigningKey, generate_rsa_keypair};
use mutual::federation::signatures::{self, IncomingRequest};
use serde_json::json;
use url::Url;

use crate::helpers::peer::Peer;
use crate::helpers::{Backend, TestNode};

fn strict_fetcher() -> Fetcher {
    let pair = generate_rsa_keypair().unwrap();
    let signer = Signer {
        key_id: Url::parse("https://node.example/actor#main-key").unwrap(),
        key: SigningKey::from_pem(&pair.private_key_pem).unwrap(),
    };
    Fetcher::new(false, signer).unwrap()
}

#[tokio::test]
async fn private_and_loopback_addresses_are_refused_unless_allowed() {
    let fetcher = strict_fetcher();
    for url in [
        "http://example.org/users/a",
        "https://localhost/users/a",
        "https://127.0.0.1/users/a",
        "https://[::1]/users/a",
        "https://10.0.0.8/users/a",
        "https://example.org:8443/users/a",
    ] {
        let err = fetcher
            .fetch_object(&Url::parse(url).unwrap(), &FetchBudget::new())
            .await
            .unwrap_err();
        assert!(err.to_string().contains("refusing"), "{url}: {err}");
    }
    for ip in [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.1.1",
        "100.64.0.1",
        "::1",
        "fc00::1",
        "fe80::1",
        "::ffff:127.0.0.1",
        "0.0.0.0",
    ] {
        assert!(!is_public(ip.parse().unwrap()), "{ip}");
    }
    for ip in ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"] {
        assert!(is_public(ip.parse().unwrap()), "{ip}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fetch_budget_bounds_the_requests_one_activity_may_cause() {
    let node = TestNode::spawn(Backend::Sqlite).await;
    let peer = Peer::spawn().await;
    let actor = peer.actor("a");
    let budget = FetchBudget::new();
    for _ in 0..FETCH_BUDGET {
        node.node
            .fetcher
            .fetch_object(&actor.id, &budget)
            .await
            .unwrap();
    }
    let err = node
        .node
        .fetcher
        .fetch_object(&actor.id, &budget)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("budget"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_and_non_activitypub_documents_are_refused() {
    let node = TestNode::spawn(Backend::Sqlite).await;
    let peer = Peer::spawn().await;
    let big = peer.base.join("/big").unwrap();
    peer.serve(
        "/big",
        json!({ "id": big, "type": "Note", "content": "x".repeat(1024 * 1024) }),
    );
    let err = node
        .node
        .fetcher
        .fetch_object(&big, &FetchBudget::new())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("1 MiB"), "{err}");

    // A WebFinger document is JSON but not ActivityPub.
    let other = TestNode::spawn(Backend::Sqlite).await;
    other.coop("c").await;
    let jrd = other
        .base
        .join(&format!(
            "/.well-known/webfinger?resource=acct:c@{}",
            other.domain()
        ))
        .unwrap();
    let err = node
        .node
        .fetcher
        .fetch_object(&jrd, &FetchBudget::new())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("content type"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outgoing_gets_are_signed_by_the_instance_actor() {
    let node = TestNode::spawn(Backend::Sqlite).await;
    let peer = Peer::spawn().await;
    let remote = peer.actor("someone");
    node.node
        .fetcher
        .fetch_object(&remote.id, &FetchBudget::new())
        .await
        .unwrap();

    let (path, headers) = peer
        .gets()
        .into_iter()
        .next()
        .expect("the peer saw the GET");
    assert_eq!(path, "/users/someone");
    assert!(
        headers["accept"]
            .to_str()
            .unwrap()
            .contains("application/activity+json")
    );
    let instance: serde_json::Value = crate::helpers::http()
        .get(node.base.join("/actor").unwrap())
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(instance["type"], "Application");
    let request = IncomingRequest {
        method: &http::Method::GET,
        target_uri: &remote.id,
        headers: &headers,
        body: &[],
    };
    let signature =
        signatures::parse(&request, chrono::Utc::now(), chrono::Duration::hours(1)).unwrap();
    assert_eq!(
        signature.key_id().as_str(),
        instance["publicKey"]["id"].as_str().unwrap()
    );
    assert_eq!(
        signature.key_id().as_str(),
        node.base.join("/actor#main-key").unwrap().as_str()
    );
    signature
        .verify(instance["publicKey"]["publicKeyPem"].as_str().unwrap())
        .expect("the instance actor's key verifies the GET");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_does_not_answer_within_ten_seconds_is_given_up() {
    let node = TestNode::spawn(Backend::Sqlite).await;
    let peer = Peer::spawn().await;
    let started = std::time::Instant::now();
    let err = node
        .node
        .fetcher
        .fetch_object(&peer.base.join("/slow").unwrap(), &FetchBudget::new())
        .await
        .unwrap_err();
    let waited = started.elapsed();
    assert!(err.to_string().contains("GET"), "{err}");
    assert!(
        waited >= std::time::Duration::from_secs(9) && waited < std::time::Duration::from_secs(12),
        "{waited:?}"
    );
}
