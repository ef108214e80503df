//! Bad input at the inbox: each case gets its clear status and stores nothing.

use http::{HeaderMap, Method, header};
use mutual::federation::fetch::FetchBudget;
use mutual::federation::signatures::cavage;
use serde_json::json;
use url::Url;

use crate::helpers::peer::{Peer, PeerActor, post_raw};
use crate::helpers::{Backend, TestNode, count};

on_both_backends!(
    a_post_without_a_signature_is_rejected_with_401,
    a_post_signed_with_the_wrong_key_is_rejected_with_401,
    a_digest_mismatch_is_rejected_with_401,
    a_stale_date_is_rejected_with_401,
    a_body_over_one_mebibyte_is_rejected_with_413,
    malformed_json_is_rejected_with_400,
    an_actor_other_than_the_key_owner_is_rejected_with_401,
    an_inbox_of_an_unknown_coop_answers_404,
    a_delete_of_an_object_on_another_origin_is_rejected_with_403,
    a_key_document_whose_id_is_on_another_origin_is_refused,
    an_unknown_activity_type_is_accepted_and_ignored,
    a_repeated_follow_has_no_second_effect,
);

struct Scene {
    node: TestNode,
    peer: Peer,
    mallory: PeerActor,
    inbox: Url,
}

async fn scene(backend: Backend) -> Scene {
    let node = TestNode::spawn(backend).await;
    node.coop("blake-house").await;
    let peer = Peer::spawn().await;
    let mallory = peer.actor("mallory");
    let inbox = node.actor("blake-house").join("blake-house/inbox").unwrap();
    Scene {
        node,
        peer,
        mallory,
        inbox,
    }
}

fn follow(s: &Scene, actor: &Url, n: u32) -> Vec<u8> {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/follow-{n}", s.peer.base.as_str().trim_end_matches('/')),
        "type": "Follow",
        "actor": actor,
        "object": s.node.actor("blake-house"),
    })
    .to_string()
    .into_bytes()
}

async fn assert_nothing_stored(s: &Scene) {
    assert_eq!(
        count(&s.node, "SELECT COUNT(*) FROM followers").await,
        0,
        "no follower stored"
    );
    assert_eq!(
        count(&s.node, "SELECT COUNT(*) FROM received_activities").await,
        0,
        "no activity recorded"
    );
    assert_eq!(
        count(&s.node, "SELECT COUNT(*) FROM deliveries").await,
        0,
        "nothing sent back"
    );
}

async fn a_post_without_a_signature_is_rejected_with_401(backend: Backend) {
    let s = scene(backend).await;
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        "application/activity+json".parse().unwrap(),
    );
    let (status, text) = post_raw(&s.inbox, headers, follow(&s, &s.mallory.id, 1)).await;
    assert_eq!(status, 401, "{text}");
    assert!(text.contains("signature"), "{text}");
    assert_nothing_stored(&s).await;
}

async fn a_post_signed_with_the_wrong_key_is_rejected_with_401(backend: Backend) {
    let s = scene(backend).await;
    let eve = s.peer.actor("eve");
    let body = follow(&s, &s.mallory.id, 1);
    let mut headers = HeaderMap::new();
    // Eve's key, claiming to be Mallory's.
    cavage::sign_request(
        &Method::POST,
        &s.inbox,
        &mut headers,
        Some(&body),
        &s.mallory.key_id,
        &eve.key,
    )
    .unwrap();
    let (status, text) = post_raw(&s.inbox, headers, body).await;
    assert_eq!(status, 401, "{text}");
    assert_nothing_stored(&s).await;
}

async fn a_digest_mismatch_is_rejected_with_401(backend: Backend) {
    let s = scene(backend).await;
    let headers = s
        .mallory
        .signed_headers(&s.inbox, &follow(&s, &s.mallory.id, 1));
    let (status, text) = post_raw(&s.inbox, headers, follow(&s, &s.mallory.id, 2)).await;
    assert_eq!(status, 401, "{text}");
    assert!(text.to_lowercase().contains("digest"), "{text}");
    assert_nothing_stored(&s).await;
}

async fn a_stale_date_is_rejected_with_401(backend: Backend) {
    let s = scene(backend).await;
    let body = follow(&s, &s.mallory.id, 1);
    let mut headers = HeaderMap::new();
    let two_hours_ago = chrono::Utc::now() - chrono::Duration::hours(2);
    cavage::sign_request_at(
        &Method::POST,
        &s.inbox,
        &mut headers,
        Some(&body),
        &s.mallory.key_id,
        &s.mallory.key,
        two_hours_ago,
    )
    .unwrap();
    let (status, text) = post_raw(&s.inbox, headers, body).await;
    assert_eq!(status, 401, "{text}");
    assert_nothing_stored(&s).await;
}

async fn a_body_over_one_mebibyte_is_rejected_with_413(backend: Backend) {
    let s = scene(backend).await;
    let mut activity: serde_json::Value =
        serde_json::from_slice(&follow(&s, &s.mallory.id, 1)).unwrap();
    activity["padding"] = json!("x".repeat(1024 * 1024 + 10));
    let body = activity.to_string().into_bytes();
    let (status, _) = s.mallory.post(&s.inbox, &body).await;
    assert_eq!(status, 413);
    assert_nothing_stored(&s).await;
}

async fn malformed_json_is_rejected_with_400(backend: Backend) {
    let s = scene(backend).await;
    let (status, text) = s.mallory.post(&s.inbox, b"{\"type\": \"Follow\", ").await;
    assert_eq!(status, 400, "{text}");
    assert_nothing_stored(&s).await;
}

async fn an_actor_other_than_the_key_owner_is_rejected_with_401(backend: Backend) {
    let s = scene(backend).await;
    let alice = s.peer.actor("alice");
    let (status, text) = s.mallory.post(&s.inbox, &follow(&s, &alice.id, 1)).await;
    assert_eq!(status, 401, "{text}");
    assert!(text.contains("actor"), "{text}");
    assert_nothing_stored(&s).await;
}

async fn an_inbox_of_an_unknown_coop_answers_404(backend: Backend) {
    let s = scene(backend).await;
    let inbox = s.node.base.join("/coops/nobody/inbox").unwrap();
    let (status, text) = s.mallory.post(&inbox, &follow(&s, &s.mallory.id, 1)).await;
    assert_eq!(status, 404, "{text}");
    assert_nothing_stored(&s).await;
}

async fn a_delete_of_an_object_on_another_origin_is_rejected_with_403(backend: Backend) {
    let s = scene(backend).await;
    let story = mutual::content::stories::publish(
        &s.node.node,
        "blake-house",
        "Ours",
        "Not yours to delete.",
        &[],
    )
    .await
    .unwrap();
    let delivered = count(&s.node, "SELECT COUNT(*) FROM deliveries").await;
    let body = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}#delete", s.mallory.id),
        "type": "Delete",
        "actor": s.mallory.id,
        "object": story.url(&s.node.base),
    });
    let (status, text) = s
        .mallory
        .post(
            &s.node.base.join("/inbox").unwrap(),
            body.to_string().as_bytes(),
        )
        .await;
    assert_eq!(status, 403, "{text}");
    let still =
        mutual::content::stories::find(&s.node.node, None, story.url(&s.node.base).as_str())
            .await
            .unwrap();
    assert!(still.row.deleted_at.is_none(), "the story must survive");
    assert_eq!(
        count(&s.node, "SELECT COUNT(*) FROM received_activities").await,
        0
    );
    assert_eq!(
        count(&s.node, "SELECT COUNT(*) FROM deliveries").await,
        delivered
    );
}

async fn a_key_document_whose_id_is_on_another_origin_is_refused(backend: Backend) {
    let s = scene(backend).await;
    let other = Peer::spawn().await;
    // The peer serves a document at /users/liar that claims to live on another origin.
    let liar = s.peer.actor("liar");
    let mut doc = json!({
        "id": other.base.join("/users/liar").unwrap(),
        "type": "Person",
        "inbox": other.base.join("/users/liar/inbox").unwrap(),
        "publicKey": { "id": format!("{}#main-key", other.base.join("/users/liar").unwrap()), "publicKeyPem": liar.public_key_pem },
    });
    doc["@context"] = json!("https://www.w3.org/ns/activitystreams");
    s.peer.serve("/users/liar", doc);

    let fetched = s
        .node
        .node
        .fetcher
        .fetch_object(&liar.id, &FetchBudget::new())
        .await;
    let error = fetched
        .expect_err("a document claiming another origin must be refused")
        .to_string();
    assert!(error.contains("another origin"), "{error}");

    let (status, text) = liar.post(&s.inbox, &follow(&s, &liar.id, 1)).await;
    assert_eq!(status, 401, "{text}");
    assert_nothing_stored(&s).await;
}

async fn an_unknown_activity_type_is_accepted_and_ignored(backend: Backend) {
    let s = scene(backend).await;
    let body = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/dance-1", s.peer.base.as_str().trim_end_matches('/')),
        "type": "Dance",
        "actor": s.mallory.id,
        "object": s.node.actor("blake-house"),
    });
    let (status, text) = s.mallory.post(&s.inbox, body.to_string().as_bytes()).await;
    assert_eq!(status, 202, "{text}");
    assert_eq!(count(&s.node, "SELECT COUNT(*) FROM followers").await, 0);
    assert_eq!(count(&s.node, "SELECT COUNT(*) FROM deliveries").await, 0);
}

async fn a_repeated_follow_has_no_second_effect(backend: Backend) {
    let s = scene(backend).await;
    let body = follow(&s, &s.mallory.id, 1);
    for _ in 0..3 {
        let (status, text) = s.mallory.post(&s.inbox, &body).await;
        assert_eq!(status, 202, "{text}");
    }
    assert_eq!(count(&s.node, "SELECT COUNT(*) FROM followers").await, 1);
    assert_eq!(
        count(&s.node, "SELECT COUNT(*) FROM received_activities").await,
        1
    );
    assert_eq!(
        count(&s.node, "SELECT COUNT(*) FROM activities").await,
        1,
        "one Accept only"
    );
    let peer = s.peer.clone();
    crate::helpers::eventually(10, "the Accept to arrive", move || {
        let peer = peer.clone();
        async move { (peer.received_of("Accept").len() == 1).then_some(()) }
    })
    .await;
}
