//! Real third-party ActivityPub software over loopback (tests/peers): a Fedify actor that
//! follows a co-op and verifies the signature of everything it receives, and the
//! activitypub-testing actor suite. They need Node and `npm ci` in tests/peers, which
//! tests/run provides and announces with `MUTUAL_TEST_PEERS=1`.

use std::process::Stdio;

use mutual::content::profile::ProfileInput;
use mutual::content::stories::{self, StoryChanges};
use mutual::content::{coops, followers};
use tokio::process::Command;

use crate::helpers::fedify::{FedifyFollower, WAIT, field, peers_dir, peers_enabled, strings};
use crate::helpers::{Backend, TestNode, eventually};

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fedify_following_with_draft_cavage_receives_verified_accept_create_update_and_delete() {
    fedify_follows_a_coop_and_receives_its_stories("draft-cavage").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fedify_following_with_rfc9421_receives_verified_accept_create_update_and_delete() {
    fedify_follows_a_coop_and_receives_its_stories("rfc9421").await;
}

async fn fedify_follows_a_coop_and_receives_its_stories(knock: &str) {
    if !peers_enabled() {
        return;
    }
    // Arrange: a node with a co-op, and a Fedify actor that looks it up and follows it.
    let node = TestNode::spawn(Backend::Sqlite).await;
    node.coop("blake-house").await;
    let coop = node.actor("blake-house");
    let mut peer = FedifyFollower::spawn(&coop, knock).await;

    let ready = peer.wait_for("ready", |_| true).await;
    let fedify_actor = field(&ready, "/actor").to_string();
    let lookup = peer.wait_for("lookup", |_| true).await;
    assert_eq!(field(&lookup, "/id"), coop.as_str(), "{}", peer.report());
    assert_eq!(field(&lookup, "/type"), "Organization", "{}", peer.report());
    assert_eq!(
        field(&lookup, "/preferredUsername"),
        "blake-house",
        "{}",
        peer.report()
    );

    // The co-op accepts the Follow, signed so that Fedify verifies it.
    let accept = peer.wait_for("accept", |_| true).await;
    let follow = peer.wait_for("follow-sent", |_| true).await;
    assert_eq!(
        field(&accept, "/object"),
        field(&follow, "/id"),
        "{}",
        peer.report()
    );
    assert_eq!(accept["matches_follow"], true, "{}", peer.report());
    assert_eq!(field(&accept, "/actor"), coop.as_str(), "{}", peer.report());
    {
        let (state, fedify_actor) = (node.node.clone(), fedify_actor.clone());
        eventually(
            15,
            "the Fedify actor to be an accepted follower",
            move || {
                let (state, fedify_actor) = (state.clone(), fedify_actor.clone());
                async move {
                    followers::list(&state, "blake-house", Some("accepted"))
                        .await
                        .unwrap()
                        .into_iter()
                        .find(|f| f.actor_id == fedify_actor)
                }
            },
        )
        .await;
    }

    // Act: publish a story.
    let title = "Our new film";
    let body = "Made together by the members of Blake House.";
    let story = stories::publish(&node.node, "blake-house", title, body, &["film".into()])
        .await
        .unwrap();
    let story_url = story.url(&node.base).to_string();

    // Assert: Fedify receives a verified Create(Note) with the story.
    let create = peer
        .wait_for("create", |e| e["object"]["id"] == story_url.as_str())
        .await;
    let report = peer.report();
    assert_eq!(field(&create, "/actor"), coop.as_str(), "{report}");
    assert_eq!(field(&create, "/object/type"), "Note", "{report}");
    assert_eq!(field(&create, "/object/name"), title, "{report}");
    assert_eq!(
        field(&create, "/object/attributedTo"),
        coop.as_str(),
        "{report}"
    );
    let content = field(&create, "/object/content");
    assert!(content.contains(title), "{content}\n{report}");
    assert!(content.contains(body), "{content}\n{report}");
    assert!(
        strings(&create, "/object/to").iter().any(|t| t == PUBLIC),
        "a public Note is addressed to {PUBLIC}\n{report}"
    );
    let tags = create["object"]["tags"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let film = node.base.join("/tags/film").unwrap();
    assert!(
        tags.iter()
            .any(|t| t["type"] == "Hashtag" && t["name"] == "#film" && t["href"] == film.as_str()),
        "a Hashtag #film linking to {film}\n{report}"
    );

    // Act and assert: an edit arrives as a verified Update with the new title.
    stories::edit(
        &node.node,
        Some("blake-house"),
        &story_url,
        &StoryChanges {
            title: Some("Our finished film".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let update = peer
        .wait_for("update", |e| e["object"]["id"] == story_url.as_str())
        .await;
    let report = peer.report();
    assert_eq!(field(&update, "/actor"), coop.as_str(), "{report}");
    assert_eq!(
        field(&update, "/object/name"),
        "Our finished film",
        "{report}"
    );
    assert!(
        field(&update, "/object/content").contains("Our finished film"),
        "{report}"
    );

    // Act and assert: a delete arrives as a verified Delete of the story.
    stories::delete(&node.node, Some("blake-house"), &story_url)
        .await
        .unwrap();
    let delete = peer
        .wait_for("delete", |e| e["object"] == story_url.as_str())
        .await;
    assert_eq!(field(&delete, "/actor"), coop.as_str(), "{}", peer.report());

    // Nothing failed verification along the way, and the first knock was always accepted
    // (Fedify logs at debug level when it falls back to the other signature scheme).
    peer.finish().await;
    peer.check_no_failure();
    let report = peer.report();
    assert!(
        !peer.stderr.lock().unwrap().contains("(double-knocking)"),
        "the node refused Fedify's {knock} signature, so Fedify retried with the other scheme\n{report}"
    );
    eprintln!("fedify-follower ({knock}) events:\n{}", peer.events_seen());
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn activitypub_testing_finds_no_failed_outcome_for_a_coop_actor() {
    if !peers_enabled() {
        return;
    }
    // Arrange: a co-op with a summary and several optional profile fields.
    let node = TestNode::spawn(Backend::Sqlite).await;
    let input = ProfileInput {
        name: Some("Blake House".into()),
        summary: Some("A workers' co-op making films in east London.".into()),
        website: Some("https://blakehouse.example".into()),
        legal_form: Some("society".into()),
        membership_type: Some("workers".into()),
        sectors: vec!["film".into(), "music".into()],
        nation: Some("england".into()),
        region: Some("london".into()),
        locality: Some("Hackney".into()),
        founded: Some(2012),
        members: Some(14),
        ..Default::default()
    };
    coops::create(&node.node, "blake-house", &input)
        .await
        .unwrap();
    let actor = node.actor("blake-house");

    // Act: run the actor suite against it.
    let run = Command::new("bash")
        .arg(peers_dir().join("activitypub-testing.sh"))
        .arg(actor.as_str())
        .current_dir(peers_dir())
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(WAIT * 3, run)
        .await
        .unwrap_or_else(|_| {
            panic!(
                "activitypub-testing.sh {actor} did not finish in {}s",
                (WAIT * 3).as_secs()
            )
        })
        .unwrap_or_else(|e| panic!("cannot run activitypub-testing.sh: {e}"));

    // Assert: no case failed.
    assert!(
        out.status.success(),
        "activitypub-testing.sh {actor} failed ({}):\n--- stdout\n{}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    node.stop().await;
}
