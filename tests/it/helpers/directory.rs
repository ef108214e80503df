//! Shared steps for directory tests: waiting for a listing state, co-ops with a full
//! profile, and a co-op from another kind of server joining.

use mutual::content::coops;
use mutual::content::profile::ProfileInput;
use mutual::db::listings::ListingRow;
use serde_json::json;

use super::peer::{Peer, PeerActor, fixture};
use super::{TestNode, eventually};

pub async fn listing(dir: &TestNode, actor: &str) -> Option<ListingRow> {
    let mut conn = dir.node.db.acquire().await.unwrap();
    mutual::db::listings::find(&mut conn, actor).await.unwrap()
}

/// Waits until the directory holds `actor` in `state`.
pub async fn in_state(dir: &TestNode, actor: &url::Url, state: &'static str) -> ListingRow {
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

pub fn directory_handle(dir: &TestNode) -> String {
    format!("@directory@{}", dir.domain())
}

pub async fn rich_coop(node: &TestNode, handle: &str, manual: bool) {
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

/// A co-op living on another kind of server (Mastodon's actor shape, on a fake server)
/// follows the directory and accepts the follow-back; returns it once listed.
pub async fn join_from_peer(dir: &TestNode, peer: &Peer, name: &str) -> PeerActor {
    let path = format!("/users/{name}");
    let coop = peer.actor_from_fixture(&fixture("mastodon/person.json"), &path);
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
