//! Key rotation: a remote actor that changes its key is fetched again once, when its first
//! activity signed with the new key fails against the cached one; a signature that matches
//! neither key is refused after that one re-fetch.

use serde_json::json;
use url::Url;

use crate::helpers::peer::{Peer, PeerActor};
use crate::helpers::{Backend, TestNode, count};

on_both_backends!(a_rotated_key_is_fetched_again_once_and_the_next_activity_is_accepted);

/// How many times the node fetched the peer's actor `name`.
fn fetches_of(peer: &Peer, name: &str) -> usize {
    let path = format!("/users/{name}");
    peer.gets().iter().filter(|(p, _)| *p == path).count()
}

/// A Follow of `coop` by `actor`, signed with `signer`'s key, POSTed to the co-op's inbox.
async fn follow(signer: &PeerActor, actor: &Url, coop: &Url, n: u32) -> (u16, String) {
    let body = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{actor}/follows/{n}"),
        "type": "Follow",
        "actor": actor,
        "object": coop,
    });
    let inbox = Url::parse(&format!("{coop}/inbox")).unwrap();
    signer.post(&inbox, body.to_string().as_bytes()).await
}

async fn a_rotated_key_is_fetched_again_once_and_the_next_activity_is_accepted(backend: Backend) {
    let node = TestNode::spawn(backend).await;
    node.coop("reel").await;
    let reel = node.actor("reel");
    let peer = Peer::spawn().await;
    let before = peer.actor("rotor");
    let actor = before.id.clone();

    let (status, text) = follow(&before, &actor, &reel, 1).await;
    assert_eq!(status, 202, "{text}");
    let fetched = fetches_of(&peer, "rotor");
    assert_eq!(fetched, 1, "the key is fetched on first sight");

    // The actor rotates its key: same key id, a new key pair. Its next activity verifies
    // after exactly one re-fetch.
    let after = peer.actor("rotor");
    assert_eq!(after.key_id, before.key_id);
    let (status, text) = follow(&after, &actor, &reel, 2).await;
    assert_eq!(status, 202, "{text}");
    assert_eq!(fetches_of(&peer, "rotor"), fetched + 1, "one re-fetch");
    let (status, text) = follow(&after, &actor, &reel, 3).await;
    assert_eq!(status, 202, "{text}");
    assert_eq!(
        fetches_of(&peer, "rotor"),
        fetched + 1,
        "the new key is cached"
    );

    // The old key no longer verifies: one more re-fetch, then 401.
    let (status, text) = follow(&before, &actor, &reel, 4).await;
    assert_eq!(status, 401, "{text}");
    assert_eq!(
        fetches_of(&peer, "rotor"),
        fetched + 2,
        "exactly one re-fetch"
    );
    let mut conn = node.node.db.acquire().await.unwrap();
    let cached = mutual::db::remote_actors::by_id(&mut conn, actor.as_str())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        cached.public_key_pem.as_deref(),
        Some(after.public_key_pem.as_str())
    );
    drop(conn);
    assert_eq!(
        count(
            &node,
            "SELECT COUNT(*) FROM followers WHERE state = 'accepted'"
        )
        .await,
        1
    );
    node.stop().await;
}
