//! A co-op follows the Fedify actor (tests/peers/fedify-follower.mjs with `--accept-follows`)
//! from its admin page; Fedify verifies the Follow's signature and accepts it. Gated on
//! `MUTUAL_TEST_PEERS`, like tests/it/peers.rs.

use super::{assert_see_other, follow_from_page, follow_in_state, node_with_admin};
use crate::helpers::Backend;
use crate::helpers::fedify::{FedifyFollower, field, peers_enabled};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fedify_actor_is_followed_from_the_page_and_accepts() {
    if !peers_enabled() {
        return;
    }
    let (a, mut ana) = node_with_admin(Backend::Sqlite).await;
    let reel = a.actor("reel");
    let mut peer = FedifyFollower::spawn_with(&reel, "draft-cavage", &["--accept-follows"]).await;
    let ready = peer.wait_for("ready", |_| true).await;
    let actor = field(&ready, "/actor").to_string();
    // The peer follows reel first (its script always does); reel accepts at once.
    peer.wait_for("accept", |_| true).await;

    assert_see_other(
        &follow_from_page(&mut ana, &actor).await,
        "/manage/reel/following",
    );
    let follow = peer
        .wait_for("follow-received", |e| e["actor"] == reel.as_str())
        .await;
    assert_eq!(field(&follow, "/object"), actor, "{}", peer.report());
    let follow_id = field(&follow, "/activity").to_string();
    peer.wait_for("accept-sent", |e| e["object"] == follow_id.as_str())
        .await;
    follow_in_state(&a, &actor, "accepted").await;
    let page = ana.get("/manage/reel/following").await;
    assert!(page.body.contains(">following<"), "{}", page.body);
    assert!(page.body.contains(&actor), "{}", page.body);

    peer.finish().await;
    peer.check_no_failure();
    a.stop().await;
}
