//! The directory with three nodes, each at its own `http://localhost:<port>`: joining both
//! ways, consent, delisting, stories reaching the index, and boosts.

use mutual::content::profile::ProfileInput;
use mutual::content::{coops, followers, follows};
use mutual::directory::consent;
use serde_json::json;

use crate::helpers::directory::{directory_handle, in_state, join_from_peer, listing, rich_coop};
use crate::helpers::peer::Peer;
use crate::helpers::{Backend, TestNode, accepted_follow, count, eventually};

on_both_backends!(
    a_coop_that_follows_the_directory_is_followed_back_and_listed,
    an_invited_coop_is_listed_only_after_it_accepts,
    leaving_by_undo_reject_or_turning_discoverable_off_delists_at_once,
    a_deleted_actor_is_delisted,
    an_update_of_a_listed_actor_signed_by_another_origin_changes_nothing,
    an_actor_document_whose_id_is_on_another_origin_is_refused,
);

async fn a_coop_that_follows_the_directory_is_followed_back_and_listed(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    let a = TestNode::spawn(backend).await;
    rich_coop(&a, "reel", false).await;
    follows::follow(&a.node, "reel", &directory_handle(&dir))
        .await
        .unwrap();
    accepted_follow(&a, "reel").await;

    let listed = in_state(&dir, &a.actor("reel"), "listed").await;
    assert_eq!(listed.name, "reel Co-op");
    assert_eq!(listed.nation.as_deref(), Some("scotland"));
    assert_eq!(listed.locality.as_deref(), Some("Glasgow"));
    assert_eq!(listed.founded, Some(2011));
    assert_eq!(listed.handle, Some(format!("@reel@{}", a.domain())));
    assert!(listed.summary.contains("<strong>films</strong>"));
    assert_eq!(count(&dir, "SELECT COUNT(*) FROM listing_sectors").await, 2);
    // The directory's actor is a Service that WebFinger finds.
    let actor = follows::resolve_target(&a.node, &directory_handle(&dir), &Default::default())
        .await
        .unwrap();
    let doc = a
        .node
        .fetcher
        .fetch_object(&actor, &Default::default())
        .await
        .unwrap();
    assert_eq!(doc["type"], "Service");
    dir.stop().await;
    a.stop().await;
}

async fn an_invited_coop_is_listed_only_after_it_accepts(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    let b = TestNode::spawn(backend).await;
    rich_coop(&b, "careful", true).await;
    let invited = consent::invite(&dir.node, &format!("@careful@{}", b.domain()))
        .await
        .unwrap();
    assert_eq!(invited.state, "pending");
    let node = b.node.clone();
    let directory_actor = eventually(15, "the invitation to arrive", move || {
        let node = node.clone();
        async move {
            followers::list(&node, "careful", Some("pending"))
                .await
                .unwrap()
                .into_iter()
                .next()
        }
    })
    .await
    .actor_id;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let before = listing(&dir, b.actor("careful").as_str()).await.unwrap();
    assert_eq!(before.state, "invited", "no listing before the Accept");
    assert_eq!(count(&dir, "SELECT COUNT(*) FROM listing_search").await, 0);

    followers::approve(&b.node, "careful", &directory_actor)
        .await
        .unwrap();
    in_state(&dir, &b.actor("careful"), "listed").await;
    dir.stop().await;
    b.stop().await;
}

async fn leaving_by_undo_reject_or_turning_discoverable_off_delists_at_once(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    let a = TestNode::spawn(backend).await;
    for handle in ["undoer", "rejecter", "shy"] {
        rich_coop(&a, handle, false).await;
        follows::follow(&a.node, handle, &directory_handle(&dir))
            .await
            .unwrap();
        in_state(&dir, &a.actor(handle), "listed").await;
    }
    // Undo of its Follow of the directory.
    follows::unfollow(&a.node, "undoer", &directory_handle(&dir))
        .await
        .unwrap();
    let gone = in_state(&dir, &a.actor("undoer"), "delisted").await;
    assert_eq!(gone.name, "", "nothing about it is kept");
    // Reject of the directory's Follow.
    let directory_actor = dir.actor("directory").to_string();
    followers::reject(&a.node, "rejecter", &directory_actor)
        .await
        .unwrap();
    in_state(&dir, &a.actor("rejecter"), "delisted").await;
    // An Update that turns discoverable off.
    coops::edit(
        &a.node,
        "shy",
        &ProfileInput {
            discoverable: Some(false),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    in_state(&dir, &a.actor("shy"), "delisted").await;

    assert_eq!(count(&dir, "SELECT COUNT(*) FROM listing_sectors").await, 0);
    assert_eq!(count(&dir, "SELECT COUNT(*) FROM listing_search").await, 0);
    assert_eq!(
        count(&dir, "SELECT COUNT(*) FROM listings WHERE state = 'listed'").await,
        0
    );
    // Turning discoverable back on lists it again (its Accept still stands).
    coops::edit(
        &a.node,
        "shy",
        &ProfileInput {
            discoverable: Some(true),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    in_state(&dir, &a.actor("shy"), "listed").await;
    dir.stop().await;
    a.stop().await;
}

async fn a_deleted_actor_is_delisted(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    let peer = Peer::spawn().await;
    let coop = join_from_peer(&dir, &peer, "lens").await;
    let listed = in_state(&dir, &coop.id, "listed").await;
    assert_eq!(
        listed.nation.as_deref(),
        Some("wales"),
        "read from PropertyValues"
    );
    assert_eq!(
        count(
            &dir,
            "SELECT COUNT(*) FROM listing_sectors WHERE sector = 'photography'"
        )
        .await,
        1
    );

    let delete = json!({ "@context": "https://www.w3.org/ns/activitystreams", "id": format!("{}#delete", coop.id), "type": "Delete", "actor": coop.id, "object": coop.id });
    assert_eq!(
        coop.post(
            &dir.base.join("/inbox").unwrap(),
            delete.to_string().as_bytes()
        )
        .await
        .0,
        202
    );
    let gone = listing(&dir, coop.id.as_str()).await.unwrap();
    assert_eq!(gone.state, "delisted");
    dir.stop().await;
}

async fn an_update_of_a_listed_actor_signed_by_another_origin_changes_nothing(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    let peer = Peer::spawn().await;
    let coop = join_from_peer(&dir, &peer, "lens").await;
    let other = Peer::spawn().await;
    let mallory = other.actor("mallory");
    let mut forged: serde_json::Value = reqwest::get(coop.id.clone())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    forged["name"] = json!("Hijacked");
    forged["discoverable"] = json!(false);
    let update = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}#update-1", mallory.id),
        "type": "Update",
        "actor": mallory.id,
        "object": forged,
    });
    let (status, text) = mallory
        .post(
            &dir.base.join("/inbox").unwrap(),
            update.to_string().as_bytes(),
        )
        .await;
    assert_eq!(status, 403, "{text}");
    let row = listing(&dir, coop.id.as_str()).await.unwrap();
    assert_eq!(row.state, "listed");
    assert_eq!(row.name, "lens photography co-op");
    dir.stop().await;
}

async fn an_actor_document_whose_id_is_on_another_origin_is_refused(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    let peer = Peer::spawn().await;
    let other = Peer::spawn().await;
    let liar = peer.actor("liar");
    let mut doc: serde_json::Value = reqwest::get(liar.id.clone())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    doc["id"] = json!(other.base.join("/users/liar").unwrap());
    peer.serve("/users/liar", doc);
    let err = consent::invite(&dir.node, liar.id.as_str())
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("another origin"), "{err}");
    assert!(listing(&dir, liar.id.as_str()).await.is_none());
    assert!(
        listing(&dir, other.base.join("/users/liar").unwrap().as_str())
            .await
            .is_none()
    );
    assert!(peer.received_of("Follow").is_empty());
    dir.stop().await;
}
