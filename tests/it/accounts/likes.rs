//! A co-op likes posts from its timeline (or `mutual story like`): a signed Like goes to
//! the author only, the timeline shows it liked, a second like changes nothing, and Unlike
//! sends the Undo of the same Like. Another real node counts and uncounts it; a story on
//! the same node is counted at once; a fediverse peer receives the documents.

use mutual::content::{follows, stories};
use serde_json::{Value, json};

use super::*;
use crate::helpers::cli::{json_of, mutual_on};
use crate::helpers::peer::Peer;
use crate::helpers::{accepted_follow, eventually, get_text};

on_both_backends!(
    a_coop_likes_and_unlikes_a_story_of_another_node_from_its_timeline,
    a_peer_receives_the_like_and_its_undo_and_a_local_story_counts_at_once,
);

/// Waits until the story page at `url` shows `wanted` (e.g. "1 like").
async fn story_shows(url: url::Url, wanted: &'static str) {
    eventually(20, wanted, || {
        let url = url.clone();
        async move { get_text(url).await.contains(wanted).then_some(()) }
    })
    .await;
}

async fn a_coop_likes_and_unlikes_a_story_of_another_node_from_its_timeline(backend: Backend) {
    let (a, _boss, mut ana) = node_with_a_coop(backend).await;
    let b = TestNode::spawn(backend).await;
    b.coop("blake").await;
    follows::follow(&a.node, "reel", b.actor("blake").as_str())
        .await
        .unwrap();
    accepted_follow(&a, "reel").await;
    let story = stories::publish(&b.node, "blake", "Open day", "Come and see.", &[])
        .await
        .unwrap();
    let url = story.url(&b.base);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let timeline = loop {
        let body = ana.get("/manage/reel/timeline").await.body;
        if body.contains("Open day") {
            break body;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "B's story in A's timeline: {body}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    };
    assert!(
        timeline.contains(r#"action="/manage/reel/like""#),
        "{timeline}"
    );
    assert!(!timeline.contains("Unlike"), "{timeline}");

    let liked = ana
        .submit(
            "/manage/reel/timeline",
            "/manage/reel/like",
            &[("url", url.as_str())],
        )
        .await;
    assert_see_other(&liked, "/manage/reel/timeline");
    story_shows(url.clone(), "1 like").await;
    let timeline = ana.get("/manage/reel/timeline").await.body;
    assert!(timeline.contains("Liked"), "{timeline}");
    assert!(
        timeline.contains(r#"action="/manage/reel/unlike""#),
        "{timeline}"
    );

    // Liking again (here from the command line) sends nothing new: B still counts one, and
    // the same Like's id is given back.
    let again = json_of(
        &mutual_on(
            &a,
            false,
            &["--json", "story", "like", "--coop", "reel", url.as_str()],
        )
        .await,
    );
    assert_eq!(again["liked"], url.as_str());
    assert_eq!(count(&a, "SELECT COUNT(*) FROM sent_likes").await, 1);
    let sent: i64 = count(&a, "SELECT COUNT(*) FROM deliveries").await;

    let unliked = ana
        .submit(
            "/manage/reel/timeline",
            "/manage/reel/unlike",
            &[("url", url.as_str())],
        )
        .await;
    assert_see_other(&unliked, "/manage/reel/timeline");
    story_shows(url.clone(), "0 likes").await;
    assert_eq!(count(&a, "SELECT COUNT(*) FROM sent_likes").await, 0);
    assert!(
        count(&a, "SELECT COUNT(*) FROM deliveries").await > sent,
        "an Undo was sent"
    );
    let timeline = ana.get("/manage/reel/timeline").await.body;
    assert!(!timeline.contains("Unlike"), "{timeline}");

    // Unliking what it does not like is a one-line error from the CLI.
    let out = mutual_on(
        &a,
        false,
        &["story", "unlike", "--coop", "reel", url.as_str()],
    )
    .await;
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("does not like"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    // Bad input is refused before anything is sent.
    let bad = ana
        .submit(
            "/manage/reel/timeline",
            "/manage/reel/like",
            &[("url", "not a url")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    a.stop().await;
    b.stop().await;
}

async fn a_peer_receives_the_like_and_its_undo_and_a_local_story_counts_at_once(backend: Backend) {
    let (a, _boss, _ana) = node_with_a_coop(backend).await;
    let peer = Peer::spawn().await;
    let poster = peer.actor("poster");
    let note_id = peer.base.join("/notes/1").unwrap();
    peer.serve(
        "/notes/1",
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": note_id, "type": "Note", "attributedTo": poster.id,
            "content": "<p>Hello co-ops</p>", "published": "2026-12-01T10:00:00Z",
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
        }),
    );
    let reel = a.actor("reel");
    let liked = json_of(
        &mutual_on(
            &a,
            false,
            &[
                "--json",
                "story",
                "like",
                "--coop",
                "reel",
                note_id.as_str(),
            ],
        )
        .await,
    );
    let like_id = liked["id"].as_str().unwrap().to_string();
    let received = |kind: &'static str| {
        let peer = &peer;
        eventually(20, kind, move || async move {
            peer.received().into_iter().find(|a| a["type"] == kind)
        })
    };
    let like: Value = received("Like").await;
    assert_eq!(like["id"], like_id.as_str());
    assert_eq!(like["actor"], reel.as_str());
    assert_eq!(like["object"], note_id.as_str());
    assert_eq!(like["to"], json!([poster.id.as_str()]));
    // The Like is dereferenceable, as its id promises.
    let served = crate::helpers::get_activity_json(like_id.as_str()).await;
    assert_eq!(served["type"], "Like");

    let out = mutual_on(
        &a,
        false,
        &["story", "unlike", "--coop", "reel", note_id.as_str()],
    )
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let undo: Value = received("Undo").await;
    assert_eq!(undo["actor"], reel.as_str());
    assert_eq!(undo["object"]["id"], like_id.as_str());
    assert_eq!(undo["object"]["type"], "Like");
    assert_eq!(undo["object"]["object"], note_id.as_str());

    // A story of another co-op on the same node: counted at once, uncounted at once.
    a.coop("neighbour").await;
    let story = stories::publish(&a.node, "neighbour", "Next door", "Hello.", &[])
        .await
        .unwrap();
    let url = story.url(&a.base);
    json_of(
        &mutual_on(
            &a,
            false,
            &["--json", "story", "like", "--coop", "reel", url.as_str()],
        )
        .await,
    );
    assert!(get_text(url.clone()).await.contains("1 like"));
    json_of(
        &mutual_on(
            &a,
            false,
            &["--json", "story", "unlike", "--coop", "reel", url.as_str()],
        )
        .await,
    );
    assert!(get_text(url).await.contains("0 likes"));
    a.stop().await;
}
