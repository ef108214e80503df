//! The directory keeps fresh: stories of listed co-ops are indexed and boosted, refreshes
//! delist the gone, and suggestions are gathered.

use mutual::content::profile::ProfileInput;
use mutual::content::{coops, follows, stories};
use serde_json::json;

use crate::helpers::directory::{directory_handle, in_state, join_from_peer, listing, rich_coop};
use crate::helpers::peer::Peer;
use crate::helpers::{Backend, TestNode, accepted_follow, count, eventually};

on_both_backends!(
    a_listed_coops_story_is_indexed_and_boosted_to_the_directorys_followers,
    an_opted_out_coops_story_is_indexed_but_not_boosted,
    a_refresh_answering_410_delists_and_so_do_two_404s_in_a_row,
    refreshes_suggest_whom_listed_coops_follow_and_their_nodes_coops,
);

async fn a_listed_coops_story_is_indexed_and_boosted_to_the_directorys_followers(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    let a = TestNode::spawn(backend).await;
    rich_coop(&a, "reel", false).await;
    // A reader (on a fake server) follows the directory for the movement's feed.
    let peer = Peer::spawn().await;
    let reader = peer.actor("reader");
    let follow = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/follows/1", reader.id),
        "type": "Follow",
        "actor": reader.id,
        "object": dir.actor("directory"),
    });
    let (status, text) = reader
        .post(
            &dir.base.join("/inbox").unwrap(),
            follow.to_string().as_bytes(),
        )
        .await;
    assert_eq!(status, 202, "{text}");

    follows::follow(&a.node, "reel", &directory_handle(&dir))
        .await
        .unwrap();
    in_state(&dir, &a.actor("reel"), "listed").await;
    let story = stories::publish(
        &a.node,
        "reel",
        "Premiere night",
        "Our film opens in Leith.",
        &["film".into()],
    )
    .await
    .unwrap();
    let story_id = story.url(&a.base).to_string();

    let (node, id) = (dir.node.clone(), story_id.clone());
    eventually(15, "the story to be indexed", move || {
        let (node, id) = (node.clone(), id.clone());
        async move {
            let mut conn = node.db.acquire().await.unwrap();
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM listing_stories WHERE id = $1")
                .bind(&id)
                .fetch_one(&mut *conn)
                .await
                .unwrap();
            (n == 1).then_some(())
        }
    })
    .await;
    let p = peer.clone();
    let announce = eventually(
        15,
        "the boost to reach the directory's follower",
        move || {
            let p = p.clone();
            async move { p.received_of("Announce").into_iter().next() }
        },
    )
    .await;
    assert_eq!(announce["object"], story_id);
    assert_eq!(announce["actor"], dir.actor("directory").to_string());
    dir.stop().await;
    a.stop().await;
}

async fn an_opted_out_coops_story_is_indexed_but_not_boosted(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    let a = TestNode::spawn(backend).await;
    rich_coop(&a, "quiet", false).await;
    coops::edit(
        &a.node,
        "quiet",
        &ProfileInput {
            directory_boost: Some(false),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let peer = Peer::spawn().await;
    let reader = peer.actor("reader");
    let follow = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/follows/1", reader.id),
        "type": "Follow", "actor": reader.id, "object": dir.actor("directory"),
    });
    reader
        .post(
            &dir.base.join("/inbox").unwrap(),
            follow.to_string().as_bytes(),
        )
        .await;
    follows::follow(&a.node, "quiet", &directory_handle(&dir))
        .await
        .unwrap();
    let row = in_state(&dir, &a.actor("quiet"), "listed").await;
    assert_eq!(row.boost_allowed, 0);
    stories::publish(&a.node, "quiet", "Quiet news", "Not for boosting.", &[])
        .await
        .unwrap();
    let node = dir.node.clone();
    eventually(15, "the story to be indexed", move || {
        let node = node.clone();
        async move {
            let mut conn = node.db.acquire().await.unwrap();
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM listing_stories")
                .fetch_one(&mut *conn)
                .await
                .unwrap();
            (n == 1).then_some(())
        }
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert!(
        peer.received_of("Announce").is_empty(),
        "an opted-out co-op's story is not boosted"
    );
    dir.stop().await;
    a.stop().await;
}

async fn a_refresh_answering_410_delists_and_so_do_two_404s_in_a_row(backend: Backend) {
    use mutual::directory::refresh::{Outcome, refresh_one};
    let dir = TestNode::spawn_directory(backend).await;
    let peer = Peer::spawn().await;
    let gone = join_from_peer(&dir, &peer, "gone").await;
    let missing = join_from_peer(&dir, &peer, "missing").await;
    assert_eq!(
        refresh_one(&dir.node, &gone.id).await.unwrap(),
        Outcome::Listed,
        "a live actor stays listed"
    );

    peer.gone("/users/gone");
    assert_eq!(
        refresh_one(&dir.node, &gone.id).await.unwrap(),
        Outcome::Delisted
    );
    assert_eq!(
        listing(&dir, gone.id.as_str()).await.unwrap().state,
        "delisted"
    );

    peer.unserve("/users/missing");
    assert_eq!(
        refresh_one(&dir.node, &missing.id).await.unwrap(),
        Outcome::Missing
    );
    assert_eq!(
        listing(&dir, missing.id.as_str()).await.unwrap().state,
        "listed",
        "one 404 is not enough"
    );
    assert_eq!(
        refresh_one(&dir.node, &missing.id).await.unwrap(),
        Outcome::Delisted
    );
    assert_eq!(
        listing(&dir, missing.id.as_str()).await.unwrap().state,
        "delisted"
    );
    assert_eq!(count(&dir, "SELECT COUNT(*) FROM listing_search").await, 0);
    dir.stop().await;
}

async fn refreshes_suggest_whom_listed_coops_follow_and_their_nodes_coops(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    let a = TestNode::spawn(backend).await;
    let b = TestNode::spawn(backend).await;
    rich_coop(&a, "reel", false).await;
    rich_coop(&a, "neighbour", false).await;
    rich_coop(&b, "friend", false).await;
    // reel follows friend (on node B) and the directory.
    follows::follow(&a.node, "reel", b.actor("friend").as_str())
        .await
        .unwrap();
    accepted_follow(&a, "reel").await;
    follows::follow(&a.node, "reel", &directory_handle(&dir))
        .await
        .unwrap();
    in_state(&dir, &a.actor("reel"), "listed").await;

    let outcome = mutual::directory::refresh::refresh_one(&dir.node, &a.actor("reel"))
        .await
        .unwrap();
    assert_eq!(outcome, mutual::directory::refresh::Outcome::Listed);
    let mut conn = dir.node.db.acquire().await.unwrap();
    let suggested: Vec<String> = mutual::db::listings::suggestions(&mut conn)
        .await
        .unwrap()
        .into_iter()
        .map(|(id, _, _)| id)
        .collect();
    assert!(
        suggested.contains(&b.actor("friend").to_string()),
        "from reel's following: {suggested:?}"
    );
    assert!(
        suggested.contains(&a.actor("neighbour").to_string()),
        "from node A's NodeInfo: {suggested:?}"
    );
    assert!(
        !suggested.contains(&a.actor("reel").to_string()),
        "a listed co-op is not suggested"
    );
    assert!(
        !suggested.iter().any(|s| s.ends_with("/coops/directory")),
        "the directory never suggests itself"
    );
    // Suggestions are never followed automatically.
    assert_eq!(count(&dir, "SELECT COUNT(*) FROM follows").await, 1);
    drop(conn);
    dir.stop().await;
    a.stop().await;
    b.stop().await;
}
