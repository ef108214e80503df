//! Secure mode (`MUTUAL_REQUIRE_SIGNED_FETCH=true`): unsigned GETs of ActivityPub documents
//! get 401 and signed ones 200; an unsigned GET of a co-op gets the reduced document; a
//! GET signed from a blocked domain gets 403 without its key being fetched; the instance
//! actor, HTML, WebFinger and NodeInfo stay open; two secure-mode nodes still federate.

use http::header::{ACCEPT, HeaderValue};
use http::{HeaderMap, Method};
use mutual::content::{follows, stories};
use mutual::federation::fetch::FetchBudget;
use mutual::federation::signatures::cavage;
use mutual::federation::signed_fetch::REDUCED_ACTOR_KEYS;
use mutual::moderation::domains;
use serde_json::Value;
use url::Url;

use crate::helpers::peer::{Peer, PeerActor};
use crate::helpers::{Backend, TestNode, accepted_follow, http, post_from};

on_both_backends!(
    unsigned_gets_are_refused_with_401_and_signed_ones_answered,
    an_unsigned_get_of_a_coop_gets_the_reduced_document,
    a_get_signed_from_a_blocked_domain_is_refused_with_403,
    two_secure_mode_nodes_follow_each_other_and_exchange_stories,
);

const AP: &str = "application/activity+json";

/// GETs `url` as ActivityPub, signed by `signer` when given; returns status and body.
async fn get(url: &Url, signer: Option<&PeerActor>) -> (u16, String) {
    let mut headers = HeaderMap::new();
    headers.insert(ACCEPT, HeaderValue::from_static(AP));
    if let Some(actor) = signer {
        cavage::sign_request(
            &Method::GET,
            url,
            &mut headers,
            None,
            &actor.key_id,
            &actor.key,
        )
        .unwrap();
    }
    let response = http()
        .get(url.clone())
        .headers(headers)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

async fn unsigned_gets_are_refused_with_401_and_signed_ones_answered(backend: Backend) {
    let node = TestNode::spawn_secure(backend).await;
    node.coop("blake-house").await;
    let story = stories::publish(&node.node, "blake-house", "Ours", "Our story.", &[])
        .await
        .unwrap();
    let story_url = story.url(&node.base);
    let peer = Peer::spawn().await;
    let reader = peer.actor("reader");

    let documents: Vec<Url> = [
        story_url.as_str().to_string(),
        format!("{story_url}/activity"),
        "/coops/blake-house/outbox".into(),
        "/coops/blake-house/outbox?page=1".into(),
        "/coops/blake-house/followers".into(),
        "/coops/blake-house/following".into(),
        "/coops/blake-house/featured".into(),
        "/actor/outbox".into(),
    ]
    .iter()
    .map(|p| node.base.join(p).unwrap())
    .collect();
    for url in &documents {
        let (status, text) = get(url, None).await;
        assert_eq!(status, 401, "{url}: {text}");
        let (status, text) = get(url, Some(&reader)).await;
        assert_eq!(status, 200, "{url}: {text}");
    }
    let (_, text) = get(&story_url, Some(&reader)).await;
    let note: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(note["type"], "Note");

    // A signature that does not verify is 401 too: the path signed is not the one asked.
    let mut headers = HeaderMap::new();
    headers.insert(ACCEPT, HeaderValue::from_static(AP));
    let other = node.base.join("/coops/blake-house/outbox").unwrap();
    cavage::sign_request(
        &Method::GET,
        &other,
        &mut headers,
        None,
        &reader.key_id,
        &reader.key,
    )
    .unwrap();
    let response = http()
        .get(story_url.clone())
        .headers(headers)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);

    // Another node's fetch client signs with its instance actor, and is answered.
    let other_node = TestNode::spawn(backend).await;
    let fetched = other_node
        .node
        .fetcher
        .fetch_object(&story_url, &FetchBudget::new())
        .await
        .unwrap();
    assert_eq!(fetched["id"], story_url.as_str());

    // Pages for people, discovery and the instance actor stay open.
    let page = http().get(story_url.clone()).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 200);
    for path in [
        format!(
            "/.well-known/webfinger?resource=acct:blake-house@{}",
            node.domain()
        ),
        "/.well-known/nodeinfo".into(),
        "/nodeinfo/2.1".into(),
    ] {
        let response = http()
            .get(node.base.join(&path).unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200, "{path}");
    }
    let (status, text) = get(&node.base.join("/actor").unwrap(), None).await;
    assert_eq!(status, 200, "{text}");
    let instance: Value = serde_json::from_str(&text).unwrap();
    for key in [
        "name",
        "endpoints",
        "manuallyApprovesFollowers",
        "url",
        "publicKey",
    ] {
        assert!(
            instance.get(key).is_some(),
            "the instance actor is served in full: {key}"
        );
    }
    other_node.stop().await;
    node.stop().await;
}

async fn an_unsigned_get_of_a_coop_gets_the_reduced_document(backend: Backend) {
    let node = TestNode::spawn_secure(backend).await;
    node.coop("blake-house").await;
    let actor = node.actor("blake-house");
    let (status, text) = get(&actor, None).await;
    assert_eq!(status, 200, "{text}");
    let reduced: Value = serde_json::from_str(&text).unwrap();
    let mut keys: Vec<&str> = reduced
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    let mut wanted = REDUCED_ACTOR_KEYS.to_vec();
    wanted.sort_unstable();
    assert_eq!(keys, wanted);
    assert_eq!(reduced["id"], actor.as_str());
    assert_eq!(reduced["type"], "Organization");
    assert_eq!(reduced["preferredUsername"], "blake-house");
    assert!(
        reduced["publicKey"]["publicKeyPem"]
            .as_str()
            .unwrap()
            .contains("PUBLIC KEY")
    );

    let peer = Peer::spawn().await;
    let (status, text) = get(&actor, Some(&peer.actor("reader"))).await;
    assert_eq!(status, 200, "{text}");
    let full: Value = serde_json::from_str(&text).unwrap();
    for key in [
        "name",
        "followers",
        "following",
        "endpoints",
        "discoverable",
        "attachment",
    ] {
        assert!(
            full.get(key).is_some(),
            "a signed GET gets the whole actor: {key}"
        );
    }
    node.stop().await;
}

async fn a_get_signed_from_a_blocked_domain_is_refused_with_403(backend: Backend) {
    let node = TestNode::spawn_secure(backend).await;
    node.coop("blake-house").await;
    let story = stories::publish(&node.node, "blake-house", "Ours", "Our story.", &[])
        .await
        .unwrap();
    let peer = Peer::spawn().await;
    let reader = peer.actor("reader");
    domains::block(&node.node, peer.base.as_str())
        .await
        .unwrap();
    for url in [story.url(&node.base), node.actor("blake-house")] {
        let (status, text) = get(&url, Some(&reader)).await;
        assert_eq!(status, 403, "{url}: {text}");
    }
    assert!(
        peer.gets().is_empty(),
        "the blocked domain's key was never fetched"
    );
    domains::unblock(&node.node, peer.base.as_str())
        .await
        .unwrap();
    let (status, text) = get(&story.url(&node.base), Some(&reader)).await;
    assert_eq!(status, 200, "{text}");
    node.stop().await;
}

async fn two_secure_mode_nodes_follow_each_other_and_exchange_stories(backend: Backend) {
    let a = TestNode::spawn_secure(backend).await;
    let b = TestNode::spawn_secure(backend).await;
    a.coop("reader").await;
    b.coop("blake-house").await;
    follows::follow(&a.node, "reader", &format!("@blake-house@{}", b.domain()))
        .await
        .unwrap();
    accepted_follow(&a, "reader").await;
    follows::follow(&b.node, "blake-house", a.actor("reader").as_str())
        .await
        .unwrap();
    accepted_follow(&b, "blake-house").await;
    // Each cached the other's whole actor (fetched signed), not the reduced document.
    let mut conn = a.node.db.acquire().await.unwrap();
    let cached = mutual::db::remote_actors::by_id(&mut conn, b.actor("blake-house").as_str())
        .await
        .unwrap()
        .unwrap();
    drop(conn);
    let doc: Value = serde_json::from_str(&cached.document).unwrap();
    assert!(doc.get("followers").is_some(), "{doc}");

    let story = stories::publish(&b.node, "blake-house", "For A", "Signed all the way.", &[])
        .await
        .unwrap();
    let received = post_from(&a, &b.actor("blake-house"), "B's story to reach A", |p| {
        p.is_some()
    })
    .await
    .unwrap();
    assert_eq!(received.id, story.url(&b.base).as_str());
    a.stop().await;
    b.stop().await;
}
