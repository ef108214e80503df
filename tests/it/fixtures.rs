//! Real activity bodies captured from Mastodon, Pleroma and GoToSocial parse and are
//! handled. Each capture is moved to a local fake server (its origin rewritten, its actor
//! given a fresh key) and POSTed signed, as its server would.

use crate::helpers::peer::{Peer, fixture, moved};
use crate::helpers::{Backend, TestNode, count, eventually};
use mutual::content::followers;

on_both_backends!(
    mastodon_follow_undo_and_delete_bodies_are_handled,
    a_pleroma_follow_body_is_handled,
    a_gotosocial_actor_with_a_key_path_can_follow,
);

async fn follower_count(node: &TestNode, handle: &str) -> usize {
    followers::list(&node.node, handle, None)
        .await
        .unwrap()
        .len()
}

async fn mastodon_follow_undo_and_delete_bodies_are_handled(backend: Backend) {
    let node = TestNode::spawn(backend).await;
    node.coop("blake-house").await;
    let peer = Peer::spawn().await;
    let inbox = node.base.join("/coops/blake-house/inbox").unwrap();
    let coop = node.actor("blake-house");
    let asonix = peer.actor_from_fixture(&fixture("mastodon/person.json"), "/users/asonix");

    let follow = moved(
        &fixture("mastodon/follow.json"),
        "https://masto.asonix.dog",
        &peer.base,
        "https://ds9.lemmy.ml/c/testcom",
        &coop,
    );
    let (status, text) = asonix.post(&inbox, &follow).await;
    assert_eq!(status, 202, "{text}");
    assert_eq!(follower_count(&node, "blake-house").await, 1);
    let p = peer.clone();
    let accept = eventually(10, "the Accept to reach Mastodon", move || {
        let p = p.clone();
        async move { p.received_of("Accept").into_iter().next() }
    })
    .await;
    assert_eq!(
        accept["object"]["id"],
        format!("{}1ea87517-63c5-4118-8831-460ee641b2cf", peer.base)
    );
    assert_eq!(accept["object"]["type"], "Follow");

    let undo = moved(
        &fixture("mastodon/undo_follow.json"),
        "https://masto.asonix.dog",
        &peer.base,
        "https://ds9.lemmy.ml/c/testcom",
        &coop,
    );
    let (status, text) = asonix.post(&inbox, &undo).await;
    assert_eq!(status, 202, "{text}");
    assert_eq!(follower_count(&node, "blake-house").await, 0);

    // The deleted account follows first (its Follow in Mastodon's shape), then deletes itself.
    let jota = peer.actor_from_fixture(&fixture("mastodon/person.json"), "/users/JotaLuis");
    let follow = moved(
        &fixture("mastodon/follow.json"),
        "https://masto.asonix.dog",
        &peer.base,
        "https://ds9.lemmy.ml/c/testcom",
        &coop,
    );
    let follow = String::from_utf8(follow)
        .unwrap()
        .replace("/users/asonix", "/users/JotaLuis")
        .replace("1ea87517", "2ea87517");
    let (status, text) = jota.post(&inbox, follow.as_bytes()).await;
    assert_eq!(status, 202, "{text}");
    assert_eq!(follower_count(&node, "blake-house").await, 1);
    // A deleted account's document is gone; the cached key still verifies its Delete.
    peer.unserve("/users/JotaLuis");
    let delete = moved(
        &fixture("mastodon/delete_actor.json"),
        "https://red.niboe.info",
        &peer.base,
        "-",
        &coop,
    );
    let (status, text) = jota.post(&node.base.join("/inbox").unwrap(), &delete).await;
    assert_eq!(status, 202, "{text}");
    assert_eq!(follower_count(&node, "blake-house").await, 0);
    assert_eq!(
        count(
            &node,
            "SELECT COUNT(*) FROM remote_actors WHERE id LIKE '%JotaLuis'"
        )
        .await,
        0
    );
}

async fn a_pleroma_follow_body_is_handled(backend: Backend) {
    let node = TestNode::spawn(backend).await;
    node.coop("blake-house").await;
    let peer = Peer::spawn().await;
    let kinetix = peer.actor_from_fixture(&fixture("pleroma/person.json"), "/users/kinetix");
    let follow = moved(
        &fixture("pleroma/follow.json"),
        "https://mycrowd.ca",
        &peer.base,
        "https://lemmy.ca/u/kinetix",
        &node.actor("blake-house"),
    );
    let (status, text) = kinetix
        .post(&node.base.join("/inbox").unwrap(), &follow)
        .await;
    assert_eq!(status, 202, "{text}");
    let list = followers::list(&node.node, "blake-house", Some("accepted"))
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].actor_id, kinetix.id.as_str());
    assert_eq!(
        list[0].shared_inbox.as_deref(),
        Some(peer.base.join("/inbox").unwrap().as_str())
    );
}

async fn a_gotosocial_actor_with_a_key_path_can_follow(backend: Backend) {
    // GoToSocial names keys `…/users/NAME/main-key` (a path, not a fragment) and has no
    // shared inbox. No real GoToSocial Follow capture was found, so the Follow is minimal.
    let node = TestNode::spawn(backend).await;
    node.coop("blake-house").await;
    let peer = Peer::spawn().await;
    let zork =
        peer.actor_from_fixture(&fixture("gotosocial/person.json"), "/users/the_mighty_zork");
    assert!(
        zork.key_id.ends_with("/users/the_mighty_zork/main-key"),
        "{}",
        zork.key_id
    );
    // The key path answers with the actor (as GoToSocial does).
    let actor_doc = {
        let p = reqwest::get(zork.id.clone()).await.unwrap();
        p.json::<serde_json::Value>().await.unwrap()
    };
    peer.serve("/users/the_mighty_zork/main-key", actor_doc);
    let follow = serde_json::json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/follow/01FIRST", zork.id),
        "type": "Follow",
        "actor": zork.id,
        "object": node.actor("blake-house"),
    });
    let (status, text) = zork
        .post(
            &node.base.join("/coops/blake-house/inbox").unwrap(),
            follow.to_string().as_bytes(),
        )
        .await;
    assert_eq!(status, 202, "{text}");
    let list = followers::list(&node.node, "blake-house", Some("accepted"))
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].shared_inbox, None);
}
