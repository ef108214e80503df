//! The directory with three nodes, each at its own `http://localhost:<port>`: joining both
//! ways, consent, delisting, stories reaching the index, and boosts.

use mutual::content::profile::ProfileInput;
use mutual::content::{coops, followers, follows, stories};
use mutual::db::listings::ListingRow;
use mutual::directory::consent;
use serde_json::json;

use crate::helpers::peer::Peer;
use crate::helpers::{Backend, TestNode, accepted_follow, count, eventually};

on_both_backends!(
    a_coop_that_follows_the_directory_is_followed_back_and_listed,
    an_invited_coop_is_listed_only_after_it_accepts,
    leaving_by_undo_reject_or_turning_discoverable_off_delists_at_once,
    a_listed_coops_story_is_indexed_and_boosted_to_the_directorys_followers,
    an_opted_out_coops_story_is_indexed_but_not_boosted,
    a_deleted_actor_is_delisted,
    a_refresh_answering_410_delists_and_so_do_two_404s_in_a_row,
    an_update_of_a_listed_actor_signed_by_another_origin_changes_nothing,
    an_actor_document_whose_id_is_on_another_origin_is_refused,
    refreshes_suggest_whom_listed_coops_follow_and_their_nodes_coops,
);

async fn listing(dir: &TestNode, actor: &str) -> Option<ListingRow> {
    let mut conn = dir.node.db.acquire().await.unwrap();
    mutual::db::listings::find(&mut conn, actor).await.unwrap()
}

/// Waits until the directory holds `actor` in `state`.
async fn in_state(dir: &TestNode, actor: &url::Url, state: &'static str) -> ListingRow {
    let (node, actor) = (dir.node.clone(), actor.to_string());
    eventually(15, state, move || {
        let (node, actor) = (node.clone(), actor.clone());
        async move {
            let mut conn = node.db.acquire().await.unwrap();
            let row = mutual::db::listings::find(&mut conn, &actor)
                .await
                .unwrap()?;
            (row.state == state).then_some(row)
        }
    })
    .await
}

fn directory_handle(dir: &TestNode) -> String {
    format!("@directory@{}", dir.domain())
}

async fn rich_coop(node: &TestNode, handle: &str, manual: bool) {
    let input = ProfileInput {
        name: Some(format!("{handle} Co-op")),
        summary: Some("We make **films** together.".into()),
        nation: Some("scotland".into()),
        locality: Some("Glasgow".into()),
        sectors: vec!["film".into(), "music".into()],
        founded: Some(2011),
        members: Some(8),
        manual_approval: Some(manual),
        ..Default::default()
    };
    coops::create(&node.node, handle, &input).await.unwrap();
}

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

/// A co-op living on another kind of server (Mastodon's actor shape, on a fake server)
/// follows the directory and accepts the follow-back; returns it once listed.
async fn join_from_peer(
    dir: &TestNode,
    peer: &Peer,
    name: &str,
) -> crate::helpers::peer::PeerActor {
    let path = format!("/users/{name}");
    let coop = peer.actor_from_fixture(
        &crate::helpers::peer::fixture("mastodon/person.json"),
        &path,
    );
    let mut doc: serde_json::Value = reqwest::get(coop.id.clone())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    doc["discoverable"] = json!(true);
    doc["name"] = json!(format!("{name} photography co-op"));
    doc["summary"] = json!("<p>A photography co-op</p>");
    doc["attachment"] = json!([
        { "type": "PropertyValue", "name": "Region", "value": "Cardiff, Wales" },
        { "type": "PropertyValue", "name": "Sector", "value": "Photography" },
    ]);
    peer.serve(&path, doc);
    let inbox = dir.base.join("/inbox").unwrap();
    let follow = json!({ "@context": "https://www.w3.org/ns/activitystreams", "id": format!("{}#follow-dir", coop.id), "type": "Follow", "actor": coop.id, "object": dir.actor("directory") });
    assert_eq!(
        coop.post(&inbox, follow.to_string().as_bytes()).await.0,
        202
    );
    let (p, me) = (peer.clone(), coop.id.to_string());
    let follow_back = eventually(15, "the follow-back", move || {
        let (p, me) = (p.clone(), me.clone());
        async move {
            p.received_of("Follow")
                .into_iter()
                .find(|f| f["object"] == me.as_str())
        }
    })
    .await;
    let accept = json!({ "@context": "https://www.w3.org/ns/activitystreams", "id": format!("{}#accept-dir", coop.id), "type": "Accept", "actor": coop.id, "object": follow_back });
    assert_eq!(
        coop.post(&inbox, accept.to_string().as_bytes()).await.0,
        202
    );
    in_state(dir, &coop.id, "listed").await;
    coop
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
