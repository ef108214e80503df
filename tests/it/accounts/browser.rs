//! The whole journey in a real browser (headless Chromium driven by playwright-core,
//! tests/peers/browser-journey.mjs): setup link, invitation, password, log-in, profile and
//! avatar, a story with an image and alt text. Then federation: a Fedify follower receives
//! the actor's Update with the new icon and the Create(Note) with the Image attachment.
//! Runs with MUTUAL_TEST_BROWSER=1 (tests/run sets it).

use image::{DynamicImage, ImageFormat};

use super::*;
use crate::helpers::chromium::{browser_enabled, node_script};
use crate::helpers::fedify::FedifyFollower;

/// Runs one phase of the journey script; its last stdout line as JSON.
async fn journey(args: Vec<String>) -> serde_json::Value {
    let (text, _) = node_script("browser-journey.mjs", args).await;
    serde_json::from_str(text.lines().last().unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_journey_in_chromium_federates_the_story_image_and_the_avatar() {
    if !browser_enabled() {
        return;
    }
    let node = TestNode::spawn(Backend::Sqlite).await;
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("member.json").display().to_string();
    let picture = dir.path().join("hall.png");
    DynamicImage::new_rgb8(1200, 900)
        .save_with_format(&picture, ImageFormat::Png)
        .unwrap();
    let base = node.base.as_str().trim_end_matches('/').to_string();
    let setup = invites::setup_link(&node.node).await.unwrap().to_string();

    journey(vec!["setup".into(), base.clone(), setup, state.clone()]).await;
    // The co-op exists now: the Fedify peer (another server's user) follows it.
    let mut peer = FedifyFollower::spawn(&node.actor("riverside"), "draft-cavage").await;
    peer.wait_for("accept", |_| true).await;
    let done = journey(vec![
        "publish".into(),
        base,
        state,
        picture.display().to_string(),
    ])
    .await;
    let story = done["story"].as_str().unwrap().to_string();

    // Fedify verified and received the actor's Update with the new icon, and the
    // Create(Note) with the Image attachment named by its alt text.
    let update = peer
        .wait_for("update", |e| e["object"]["icon"]["type"] == "Image")
        .await;
    assert_eq!(
        update["object"]["name"],
        "Riverside Film Co-op",
        "{}",
        peer.report()
    );
    let create = peer
        .wait_for("create", |e| e["object"]["id"] == story.as_str())
        .await;
    let attachment = &create["object"]["attachments"][0];
    assert_eq!(attachment["type"], "Image", "{}", peer.report());
    assert_eq!(
        attachment["name"],
        "Volunteers setting out chairs in a hall"
    );
    peer.check_no_failure();
    peer.finish().await;
    let note = crate::helpers::get_activity_json(story).await;
    assert_eq!(note["storyKind"], "event");
    assert_eq!(note["attachment"][0]["type"], "Image");
    assert_eq!(
        note["attachment"][0]["name"],
        "Volunteers setting out chairs in a hall"
    );
    let actor = crate::helpers::get_activity_json(node.actor("riverside")).await;
    assert_eq!(actor["name"], "Riverside Film Co-op");
    assert_eq!(actor["icon"]["type"], "Image");
    let icon = crate::helpers::http()
        .get(actor["icon"]["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(icon.status(), StatusCode::OK);
    assert_eq!(count(&node, "SELECT COUNT(*) FROM accounts").await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organiser_in_chromium_invites_a_coop_which_is_listed_once_it_accepts() {
    if !browser_enabled() {
        return;
    }
    let dir = TestNode::spawn_directory(Backend::Sqlite).await;
    let coops = TestNode::spawn(Backend::Sqlite).await;
    crate::helpers::directory::rich_coop(&coops, "reel", false).await;
    let setup = invites::setup_link(&dir.node).await.unwrap().to_string();
    let target = format!("@reel@{}", coops.domain());
    let base = dir.base.as_str().trim_end_matches('/').to_string();
    let done = journey(vec!["organise".into(), base, setup, target]).await;
    let message = done["message"].as_str().unwrap();
    assert!(
        message.contains("it is listed once it accepts"),
        "{message}"
    );
    crate::helpers::directory::in_state(&dir, &coops.actor("reel"), "listed").await;
}
