//! Two real nodes over real HTTP with real signatures: follow, Accept, stories, edits,
//! deletes, manual approval and unfollow.

use mutual::content::profile::ProfileInput;
use mutual::content::{followers, follows, stories};

use crate::helpers::{Backend, TestNode, accepted_follow, eventually, post_from};

on_both_backends!(
    a_coop_follows_a_coop_on_another_node_and_receives_its_stories,
    a_coop_with_manual_approval_keeps_a_follower_pending_until_approved,
    unfollowing_removes_the_follower_on_the_other_node,
    a_profile_edit_reaches_followers_as_an_update_of_the_actor,
    coops_on_the_same_node_federate_in_process,
);

async fn a_coop_follows_a_coop_on_another_node_and_receives_its_stories(backend: Backend) {
    let a = TestNode::spawn(backend).await;
    let b = TestNode::spawn(backend).await;
    a.coop("reader").await;
    b.coop("blake-house").await;

    // Found by handle through WebFinger, as Mastodon would.
    let follow = follows::follow(&a.node, "reader", &format!("@blake-house@{}", b.domain()))
        .await
        .unwrap();
    assert_eq!(follow.state, "pending");
    assert_eq!(follow.target_id, b.actor("blake-house").as_str());
    accepted_follow(&a, "reader").await;
    let list = followers::list(&b.node, "blake-house", Some("accepted"))
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].actor_id, a.actor("reader").as_str());

    let story = stories::publish(
        &b.node,
        "blake-house",
        "Our new film",
        "A film about *co-ops*.",
        &["film".into()],
    )
    .await
    .unwrap();
    let id = story.url(&b.base).to_string();
    let author = b.actor("blake-house");
    let received = post_from(&a, &author, "the story to reach the follower", |p| {
        p.is_some()
    })
    .await
    .unwrap();
    assert_eq!(received.id, id);
    assert_eq!(received.name.as_deref(), Some("Our new film"));
    assert!(
        received.content.contains("<strong>Our new film</strong>"),
        "{}",
        received.content
    );
    assert!(
        received.content.contains("<em>co-ops</em>"),
        "{}",
        received.content
    );
    // The receiver sanitises as Mastodon does (its own rel values), keeping the hashtag link.
    assert!(
        received.content.contains("class=\"mention hashtag\""),
        "{}",
        received.content
    );

    stories::edit(
        &b.node,
        Some("blake-house"),
        &id,
        &mutual::content::stories::StoryChanges {
            title: Some("Our finished film".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    post_from(&a, &author, "the edit to reach the follower", |p| {
        p.is_some_and(|p| p.name.as_deref() == Some("Our finished film") && p.updated_at.is_some())
    })
    .await;

    stories::delete(&b.node, Some("blake-house"), &id)
        .await
        .unwrap();
    post_from(&a, &author, "the delete to reach the follower", |p| {
        p.is_none()
    })
    .await;
    a.stop().await;
    b.stop().await;
}

async fn a_coop_with_manual_approval_keeps_a_follower_pending_until_approved(backend: Backend) {
    let a = TestNode::spawn(backend).await;
    let b = TestNode::spawn(backend).await;
    a.coop("reader").await;
    b.coop("careful").await;
    mutual::content::coops::edit(
        &b.node,
        "careful",
        &ProfileInput {
            manual_approval: Some(true),
            ..Default::default()
        },
    )
    .await
    .unwrap();

    follows::follow(&a.node, "reader", b.actor("careful").as_str())
        .await
        .unwrap();
    let follower = a.actor("reader").to_string();
    {
        let node = b.node.clone();
        eventually(15, "the follow request to arrive", move || {
            let node = node.clone();
            async move {
                followers::list(&node, "careful", Some("pending"))
                    .await
                    .unwrap()
                    .into_iter()
                    .next()
            }
        })
        .await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(
        follows::list(&a.node, "reader").await.unwrap()[0].state,
        "pending",
        "no Accept before approval"
    );

    followers::approve(&b.node, "careful", &follower)
        .await
        .unwrap();
    accepted_follow(&a, "reader").await;

    followers::reject(&b.node, "careful", &follower)
        .await
        .unwrap();
    {
        let node = a.node.clone();
        eventually(15, "the Reject to arrive", move || {
            let node = node.clone();
            async move {
                follows::list(&node, "reader")
                    .await
                    .unwrap()
                    .into_iter()
                    .find(|f| f.state == "rejected")
            }
        })
        .await;
    }
    assert!(
        followers::list(&b.node, "careful", None)
            .await
            .unwrap()
            .is_empty()
    );
    a.stop().await;
    b.stop().await;
}

async fn unfollowing_removes_the_follower_on_the_other_node(backend: Backend) {
    let a = TestNode::spawn(backend).await;
    let b = TestNode::spawn(backend).await;
    a.coop("reader").await;
    b.coop("band").await;
    follows::follow(&a.node, "reader", b.actor("band").as_str())
        .await
        .unwrap();
    accepted_follow(&a, "reader").await;

    follows::unfollow(&a.node, "reader", b.actor("band").as_str())
        .await
        .unwrap();
    let node = b.node.clone();
    eventually(15, "the Undo to remove the follower", move || {
        let node = node.clone();
        async move {
            followers::list(&node, "band", None)
                .await
                .unwrap()
                .is_empty()
                .then_some(())
        }
    })
    .await;
    assert!(follows::list(&a.node, "reader").await.unwrap().is_empty());
    a.stop().await;
    b.stop().await;
}

async fn a_profile_edit_reaches_followers_as_an_update_of_the_actor(backend: Backend) {
    let a = TestNode::spawn(backend).await;
    let b = TestNode::spawn(backend).await;
    a.coop("reader").await;
    b.coop("band").await;
    follows::follow(&a.node, "reader", b.actor("band").as_str())
        .await
        .unwrap();
    accepted_follow(&a, "reader").await;

    let change = ProfileInput {
        name: Some("The Renamed Band Co-op".into()),
        ..Default::default()
    };
    mutual::content::coops::edit(&b.node, "band", &change)
        .await
        .unwrap();
    let (node, id) = (a.node.clone(), b.actor("band").to_string());
    eventually(
        15,
        "the actor Update to refresh the cached profile",
        move || {
            let (node, id) = (node.clone(), id.clone());
            async move {
                let mut conn = node.db.acquire().await.unwrap();
                let row = mutual::db::remote_actors::by_id(&mut conn, &id)
                    .await
                    .unwrap()?;
                (row.name.as_deref() == Some("The Renamed Band Co-op")).then_some(())
            }
        },
    )
    .await;
    a.stop().await;
    b.stop().await;
}

async fn coops_on_the_same_node_federate_in_process(backend: Backend) {
    let node = TestNode::spawn(backend).await;
    node.coop("reader").await;
    node.coop("press").await;
    follows::follow(&node.node, "reader", &format!("@press@{}", node.domain()))
        .await
        .unwrap();
    accepted_follow(&node, "reader").await;
    stories::publish(&node.node, "press", "Next door", "Hello, neighbours.", &[])
        .await
        .unwrap();
    post_from(
        &node,
        &node.actor("press"),
        "the story to reach the co-op next door",
        |p| p.is_some(),
    )
    .await;
    // Nothing went over HTTP: the node never fetched (and so never cached) its own co-ops.
    assert_eq!(
        crate::helpers::count(&node, "SELECT COUNT(*) FROM remote_actors").await,
        0
    );
    node.stop().await;
}
