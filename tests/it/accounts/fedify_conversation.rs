//! The real Fedify peer (issue #7): a co-op follows the Fedify actor from its following
//! (Fedify accepts); the actor posts a Note, which shows in the co-op's timeline; then it
//! replies to one of the co-op's stories, and the reply shows under the story.

use mutual::content::{follows, stories};
use serde_json::json;

use super::*;
use crate::helpers::fedify::{FedifyFollower, field, peers_enabled};
use crate::helpers::{accepted_follow, eventually};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coop_follows_the_fedify_actor_reads_its_note_and_shows_its_reply() {
    if !peers_enabled() {
        return;
    }
    let (node, _boss, mut ana) = node_with_a_coop(Backend::Sqlite).await;
    let coop = node.actor("reel");
    let mut peer = FedifyFollower::spawn_with(&coop, "draft-cavage", &["--accept-follows"]).await;
    let ready = peer.wait_for("ready", |_| true).await;
    let fedify = field(&ready, "/actor").to_string();
    peer.wait_for("accept", |_| true).await;

    follows::follow(&node.node, "reel", &fedify).await.unwrap();
    accepted_follow(&node, "reel").await;

    peer.command(json!({ "command": "create-note", "content": "<p>Hello from <b>Fedify</b></p>" }))
        .await;
    let sent = peer.wait_for("note-sent", |_| true).await;
    let note = field(&sent, "/object").to_string();
    let (n, want) = (node.node.clone(), note.clone());
    eventually(20, "the Fedify note in the timeline", move || {
        let (n, want) = (n.clone(), want.clone());
        async move {
            let posts = follows::posts_of(&n, &fedify_actor(&want), 5)
                .await
                .unwrap();
            posts.iter().any(|p| p.id == want).then_some(())
        }
    })
    .await;
    let timeline = ana.get("/manage/reel/timeline").await.body;
    assert!(
        timeline.contains("Hello from <b>Fedify</b>") && timeline.contains(&note),
        "{timeline}"
    );

    let story = stories::publish(&node.node, "reel", "Our open day", "All welcome.", &[])
        .await
        .unwrap();
    let url = story.url(&node.base).to_string();
    peer.command(json!({
        "command": "create-note",
        "content": "<p>We will be there!</p>",
        "inReplyTo": url,
        "mention": coop.as_str(),
    }))
    .await;
    let sent = peer
        .wait_for("note-sent", |e| e["object"] != note.as_str())
        .await;
    let reply = field(&sent, "/object").to_string();
    let path = story.url(&node.base).path().to_string();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let page = loop {
        let page = ana.get(&path).await.body;
        if page.contains("We will be there!") {
            break page;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no reply shown: {page}\n{}",
            peer.report()
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert!(
        page.contains(&reply) && page.contains("1 reply"),
        "{reply}: {page}"
    );
    assert!(
        page.contains("@tester@localhost:"),
        "the author's handle: {page}"
    );
    let told = ana.get("/manage/reel/notifications").await.body;
    assert!(
        told.contains("Mentioned by") && told.contains("Reply from") && told.contains(&reply),
        "{told}"
    );
    peer.finish().await;
    peer.check_no_failure();
}

/// The actor of a Fedify note id (`http://localhost:P/notes/…` → `…/users/tester`).
fn fedify_actor(note: &str) -> String {
    let base = url::Url::parse(note).unwrap();
    base.join("/users/tester").unwrap().to_string()
}
