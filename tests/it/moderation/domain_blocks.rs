//! Node B blocks node A's domain: A's follow of a B co-op ends (A hears a Reject), B's
//! follow of A ends (A hears an Undo), what B kept from A is purged, and A's further
//! signed activities get 403 and leave nothing behind.

use mutual::content::{followers, follows, stories};
use mutual::moderation::domains::{self, Purged};

use super::{coop_signer, follow, received, reply, rows_from};
use crate::helpers::{Backend, TestNode, accepted_follow, eventually, post_from};

on_both_backends!(a_domain_block_ends_follows_purges_what_was_kept_and_refuses_with_403,);

async fn a_domain_block_ends_follows_purges_what_was_kept_and_refuses_with_403(backend: Backend) {
    let a = TestNode::spawn(backend).await;
    let b = TestNode::spawn(backend).await;
    a.coop("reader").await;
    b.coop("blake-house").await;
    b.coop("quarry").await;
    follows::follow(&a.node, "reader", b.actor("blake-house").as_str())
        .await
        .unwrap();
    accepted_follow(&a, "reader").await;
    follows::follow(&b.node, "quarry", a.actor("reader").as_str())
        .await
        .unwrap();
    accepted_follow(&b, "quarry").await;
    stories::publish(&a.node, "reader", "From A", "Hello, B.", &[])
        .await
        .unwrap();
    post_from(&b, &a.actor("reader"), "A's story to reach B", |p| {
        p.is_some()
    })
    .await;
    assert_eq!(rows_from(&b, "remote_posts", "actor_id", &a.base).await, 1);
    assert!(rows_from(&b, "remote_actors", "id", &a.base).await >= 1);

    let (domain, purged) = domains::block(&b.node, &a.domain()).await.unwrap();
    assert_eq!(domain, a.domain());
    assert_eq!(
        (purged.followers, purged.follows),
        (1, 1),
        "A's follow of blake-house and quarry's follow of A: {purged:?}"
    );
    assert_ne!(purged, Purged::default());

    // Nothing of A is left on B.
    for (table, column) in [
        ("followers", "actor_id"),
        ("follows", "target_id"),
        ("remote_posts", "actor_id"),
        ("remote_actors", "id"),
    ] {
        assert_eq!(rows_from(&b, table, column, &a.base).await, 0, "{table}");
    }

    // A is told: its follow was rejected, and B's follow of it undone.
    let node = a.node.clone();
    eventually(15, "A to hear the Reject", || {
        let node = node.clone();
        async move {
            let list = follows::list(&node, "reader").await.unwrap();
            (list.len() == 1 && list[0].state == "rejected").then_some(())
        }
    })
    .await;
    eventually(15, "A to hear the Undo", || {
        let node = node.clone();
        async move {
            followers::list(&node, "reader", None)
                .await
                .unwrap()
                .is_empty()
                .then_some(())
        }
    })
    .await;

    // A's further activities, validly signed, are refused and stored nowhere.
    let reader = coop_signer(&a, "reader").await;
    let inbox = b.base.join("/inbox").unwrap();
    let again = follow(&reader, &b.actor("blake-house"), 2);
    let (status, text) = reader.post(&inbox, again.to_string().as_bytes()).await;
    assert_eq!(status, 403, "{text}");
    assert!(text.contains("blocks"), "{text}");
    let story = stories::publish(&b.node, "blake-house", "Ours", "Our story.", &[])
        .await
        .unwrap();
    let create = reply(&reader, &story.url(&b.base), 3);
    let coop_inbox = b.base.join("/coops/blake-house/inbox").unwrap();
    let (status, text) = reader
        .post(&coop_inbox, create.to_string().as_bytes())
        .await;
    assert_eq!(status, 403, "{text}");
    for activity in [&again, &create] {
        assert!(!received(&b, activity["id"].as_str().unwrap()).await);
    }
    for (table, column) in [
        ("followers", "actor_id"),
        ("remote_posts", "actor_id"),
        ("remote_actors", "id"),
    ] {
        assert_eq!(rows_from(&b, table, column, &a.base).await, 0, "{table}");
    }

    // B's co-ops cannot follow into the blocked domain either; unblocking allows it again.
    let refused = follows::follow(&b.node, "quarry", a.actor("reader").as_str()).await;
    assert!(
        matches!(refused, Err(mutual::AppError::Forbidden(_))),
        "{refused:?}"
    );
    domains::unblock(&b.node, &a.domain()).await.unwrap();
    let (status, text) = reader
        .post(
            &inbox,
            follow(&reader, &b.actor("blake-house"), 4)
                .to_string()
                .as_bytes(),
        )
        .await;
    assert_eq!(status, 202, "{text}");
    a.stop().await;
    b.stop().await;
}
