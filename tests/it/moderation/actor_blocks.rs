//! A co-op blocks an actor: the follows between them end (the actor hears a Reject and
//! an Undo), its Follow of the co-op and its reply to the co-op's story get 403 and leave
//! nothing behind, while other co-ops here still hear from it.

use mutual::content::{followers, follows, stories};
use mutual::moderation::actors;

use super::{follow, received, reply};
use crate::helpers::peer::Peer;
use crate::helpers::{Backend, TestNode, eventually};

on_both_backends!(a_coop_that_blocks_an_actor_ends_its_follows_and_refuses_it_with_403,);

async fn a_coop_that_blocks_an_actor_ends_its_follows_and_refuses_it_with_403(backend: Backend) {
    let node = TestNode::spawn(backend).await;
    node.coop("blake-house").await;
    node.coop("quarry").await;
    let peer = Peer::spawn().await;
    let spammer = peer.actor("spammer");
    let inbox = node.base.join("/inbox").unwrap();
    let (status, text) = spammer
        .post(
            &inbox,
            follow(&spammer, &node.actor("blake-house"), 1)
                .to_string()
                .as_bytes(),
        )
        .await;
    assert_eq!(status, 202, "{text}");
    follows::follow(&node.node, "blake-house", spammer.id.as_str())
        .await
        .unwrap();
    assert_eq!(
        followers::list(&node.node, "blake-house", None)
            .await
            .unwrap()
            .len(),
        1
    );

    let blocked = actors::block(&node.node, "blake-house", spammer.id.as_str())
        .await
        .unwrap();
    assert_eq!(blocked, spammer.id);
    assert!(
        followers::list(&node.node, "blake-house", None)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        follows::list(&node.node, "blake-house")
            .await
            .unwrap()
            .is_empty()
    );
    let told = peer.clone();
    eventually(15, "the actor to hear the Reject and the Undo", || {
        let peer = told.clone();
        async move {
            (!peer.received_of("Reject").is_empty() && !peer.received_of("Undo").is_empty())
                .then_some(())
        }
    })
    .await;
    let listed = actors::list(&node.node, "blake-house").await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].actor_id, spammer.id.as_str());

    // Its Follow of the co-op, and its reply to the co-op's story: 403, nothing kept.
    let again = follow(&spammer, &node.actor("blake-house"), 2);
    let (status, text) = spammer.post(&inbox, again.to_string().as_bytes()).await;
    assert_eq!(status, 403, "{text}");
    let story = stories::publish(&node.node, "blake-house", "Ours", "Our story.", &[])
        .await
        .unwrap();
    let answer = reply(&spammer, &story.url(&node.base), 3);
    let (status, text) = spammer.post(&inbox, answer.to_string().as_bytes()).await;
    assert_eq!(status, 403, "{text}");
    for activity in [&again, &answer] {
        assert!(!received(&node, activity["id"].as_str().unwrap()).await);
    }
    assert!(
        followers::list(&node.node, "blake-house", None)
            .await
            .unwrap()
            .is_empty()
    );

    // The co-op cannot follow it while it is blocked; other co-ops here are not concerned.
    let refused = follows::follow(&node.node, "blake-house", spammer.id.as_str()).await;
    assert!(
        matches!(refused, Err(mutual::AppError::Forbidden(_))),
        "{refused:?}"
    );
    let other = follow(&spammer, &node.actor("quarry"), 4);
    let (status, text) = spammer.post(&inbox, other.to_string().as_bytes()).await;
    assert_eq!(status, 202, "{text}");
    assert_eq!(
        followers::list(&node.node, "quarry", None)
            .await
            .unwrap()
            .len(),
        1
    );

    // Blocking twice is a conflict; once unblocked, its Follow is accepted again.
    let twice = actors::block(&node.node, "blake-house", spammer.id.as_str()).await;
    assert!(
        matches!(twice, Err(mutual::AppError::Conflict(_))),
        "{twice:?}"
    );
    actors::unblock(&node.node, "blake-house", spammer.id.as_str())
        .await
        .unwrap();
    let (status, text) = spammer
        .post(
            &inbox,
            follow(&spammer, &node.actor("blake-house"), 5)
                .to_string()
                .as_bytes(),
        )
        .await;
    assert_eq!(status, 202, "{text}");
    node.stop().await;
}
