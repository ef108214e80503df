//! A follower of a sub-feed receives boosts of its slice's stories and no others.

use mutual::content::profile::ProfileInput;
use mutual::content::{coops, followers, follows, stories};
use mutual::directory::subfeeds::{self, Slice};
use serde_json::json;

use crate::helpers::directory::{directory_handle, in_state};
use crate::helpers::sink::Sink;
use crate::helpers::{Backend, TestNode, count, eventually, get_activity_json};

on_both_backends!(
    a_follower_of_a_sector_subfeed_receives_boosts_of_that_sectors_stories_and_no_others,
    a_follower_of_a_nation_subfeed_receives_boosts_of_that_nations_stories_and_no_others,
);

/// Creates co-op `handle` in one sector and nation and lists it in the directory.
pub(super) async fn listed_coop(
    dir: &TestNode,
    node: &TestNode,
    handle: &str,
    sector: &str,
    nation: &str,
) {
    let input = ProfileInput {
        name: Some(format!("{handle} co-op")),
        nation: Some(nation.into()),
        sectors: vec![sector.into()],
        ..Default::default()
    };
    coops::create(&node.node, handle, &input).await.unwrap();
    follows::follow(&node.node, handle, &directory_handle(dir))
        .await
        .unwrap();
    in_state(dir, &node.actor(handle), "listed").await;
}

/// Sink user `n` follows the directory's actor `handle`, trusting the key its actor
/// document publishes; returns once the Follow is accepted.
pub(super) async fn follow_from_sink(dir: &TestNode, sink: &Sink, n: usize, handle: &str) {
    let doc = get_activity_json(dir.actor(handle)).await;
    sink.trust(
        doc["publicKey"]["id"].as_str().unwrap(),
        doc["publicKey"]["publicKeyPem"].as_str().unwrap(),
    );
    let person = sink.actor(n);
    let follow = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}#follow-{handle}", person.id),
        "type": "Follow", "actor": person.id, "object": dir.actor(handle),
    });
    let inbox = dir.base.join(&format!("/coops/{handle}/inbox")).unwrap();
    let (status, text) = person.post(&inbox, follow.to_string().as_bytes()).await;
    assert_eq!(status, 202, "{text}");
    let (node, handle, me) = (dir.node.clone(), handle.to_string(), person.id.to_string());
    eventually(15, "the sink's Follow to be accepted", move || {
        let (node, handle, me) = (node.clone(), handle.clone(), me.clone());
        async move {
            let list = followers::list(&node, &handle, Some("accepted"))
                .await
                .unwrap();
            list.iter().any(|f| f.actor_id == me).then_some(())
        }
    })
    .await;
}

/// The boosted posts that reached sink user `n`, by `actor`, with a verified signature.
pub(super) fn boosts(sink: &Sink, n: usize, actor: &str) -> Vec<String> {
    sink.arrivals()
        .into_iter()
        .filter(|a| a.inbox == sink.inbox(n) && a.kind == "Announce" && a.actor == actor)
        .inspect(|a| assert_eq!(a.status, 202, "the Announce's signature verifies"))
        .map(|a| a.object)
        .collect()
}

/// Co-ops `reel` (film, England) and `band` (music, Scotland) are listed; sink user 1
/// follows the sub-feed of `slice`, user 2 the directory itself. Both publish a story.
/// User 1 must receive a boost of `expected`'s story only.
async fn only_the_slice_is_boosted(backend: Backend, slice: (&str, &str), expected: &str) {
    let dir = TestNode::spawn_directory(backend).await;
    let a = TestNode::spawn(backend).await;
    listed_coop(&dir, &a, "reel", "film", "england").await;
    listed_coop(&dir, &a, "band", "music", "scotland").await;
    let (facet, code) = slice;
    subfeeds::create(&dir.node, Slice::parse(facet, code).unwrap())
        .await
        .unwrap();
    let sink = Sink::spawn().await;
    follow_from_sink(&dir, &sink, 1, code).await;
    follow_from_sink(&dir, &sink, 2, "directory").await;

    let mut notes = Vec::new();
    for handle in ["band", "reel"] {
        let story = stories::publish(
            &a.node,
            handle,
            &format!("News from {handle}"),
            "Hello.",
            &[],
        )
        .await
        .unwrap();
        notes.push((handle, story.url(&a.base).to_string()));
    }
    // The directory boosts both to its own follower: both stories were ingested, and every
    // Announce of each was queued in that one transaction.
    let directory = dir.actor("directory").to_string();
    let (s, d) = (sink.clone(), directory.clone());
    eventually(15, "the directory's boosts of both stories", move || {
        let (s, d) = (s.clone(), d.clone());
        async move { (boosts(&s, 2, &d).len() == 2).then_some(()) }
    })
    .await;
    let node = dir.node.clone();
    eventually(15, "the directory's queue to drain", move || {
        let node = node.clone();
        async move {
            let mut conn = node.db.acquire().await.unwrap();
            let pending: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM deliveries WHERE state = 'pending'")
                    .fetch_one(&mut *conn)
                    .await
                    .unwrap();
            (pending == 0).then_some(())
        }
    })
    .await;
    assert_eq!(
        count(&dir, "SELECT COUNT(*) FROM listing_stories").await,
        2,
        "both stories reached the index"
    );
    let wanted: Vec<String> = notes
        .iter()
        .filter(|(h, _)| *h == expected)
        .map(|(_, note)| note.clone())
        .collect();
    let subfeed = dir.actor(code).to_string();
    assert_eq!(boosts(&sink, 1, &subfeed), wanted, "{:?}", sink.arrivals());
    assert!(boosts(&sink, 1, &directory).is_empty());
    assert!(boosts(&sink, 2, &subfeed).is_empty());
    dir.stop().await;
    a.stop().await;
}

async fn a_follower_of_a_sector_subfeed_receives_boosts_of_that_sectors_stories_and_no_others(
    backend: Backend,
) {
    only_the_slice_is_boosted(backend, ("sector", "film"), "reel").await;
}

async fn a_follower_of_a_nation_subfeed_receives_boosts_of_that_nations_stories_and_no_others(
    backend: Backend,
) {
    only_the_slice_is_boosted(backend, ("nation", "scotland"), "band").await;
}
