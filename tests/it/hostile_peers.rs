//! Hostile peers (issue #7): documents claiming another host's id, a reply chain 1,000 deep,
//! loops, and a signed Update of another host's actor. Each is refused or bounded, and
//! nothing is stored.

use mutual::content::stories;
use mutual::federation::thread::MAX_THREAD_DEPTH;
use serde_json::{Value, json};

use crate::helpers::peer::{Peer, PeerActor};
use crate::helpers::{Backend, TestNode, count, get_activity_json};

on_both_backends!(
    a_post_whose_document_claims_another_hosts_id_is_refused,
    a_reply_chain_a_thousand_deep_costs_a_bounded_number_of_requests,
    a_short_reply_chain_joins_the_conversation_with_its_ancestors,
    an_announce_of_itself_or_of_an_activity_is_refused,
    an_announce_of_an_object_from_a_blocked_domain_is_dropped_unfetched,
    a_deleted_reply_is_never_kept_again,
    a_signed_update_of_another_hosts_actor_is_refused_and_changes_nothing,
);

struct Scene {
    node: TestNode,
    peer: Peer,
    mallory: PeerActor,
    inbox: url::Url,
    story: String,
}

async fn scene(backend: Backend) -> Scene {
    let node = TestNode::spawn(backend).await;
    node.coop("reel").await;
    let story = stories::publish(&node.node, "reel", "Open day", "All welcome.", &[])
        .await
        .unwrap()
        .url(&node.base)
        .to_string();
    let peer = Peer::spawn().await;
    let mallory = peer.actor("mallory");
    let inbox = node.actor("reel").join("reel/inbox").unwrap();
    Scene {
        node,
        peer,
        mallory,
        inbox,
        story,
    }
}

fn note(s: &Scene, path: &str, in_reply_to: &str) -> Value {
    json!({
        "id": s.peer.base.join(path).unwrap(),
        "type": "Note",
        "attributedTo": s.mallory.id,
        "content": format!("<p>{path}</p>"),
        "inReplyTo": in_reply_to,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "cc": [s.node.actor("reel")],
    })
}

fn create(s: &Scene, n: u32, object: Value) -> Vec<u8> {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": s.peer.base.join(&format!("/activities/{n}")).unwrap(),
        "type": "Create",
        "actor": s.mallory.id,
        "object": object,
    })
    .to_string()
    .into_bytes()
}

/// Serves `/chain/0` (a reply to the story) up to `/chain/{depth - 1}`, each answering the
/// one before; returns `/chain/{depth}`, the reply at the end, not served.
fn reply_chain(s: &Scene, depth: u32) -> Value {
    let path = |n: u32| format!("/chain/{n}");
    s.peer.serve(&path(0), note(s, &path(0), &s.story));
    for n in 1..depth {
        let parent = s.peer.base.join(&path(n - 1)).unwrap();
        s.peer.serve(&path(n), note(s, &path(n), parent.as_str()));
    }
    let parent = s.peer.base.join(&path(depth - 1)).unwrap();
    note(s, &path(depth), parent.as_str())
}

fn chain_gets(s: &Scene) -> usize {
    s.peer
        .gets()
        .iter()
        .filter(|(p, _)| p.starts_with("/chain/"))
        .count()
}

async fn a_post_whose_document_claims_another_hosts_id_is_refused(backend: Backend) {
    let s = scene(backend).await;
    // Fetched by reference, the document says it is someone else's.
    let mut forged = note(&s, "/notes/forged", &s.story);
    forged["id"] = json!("http://elsewhere.example/notes/forged");
    s.peer.serve("/notes/forged", forged);
    let by_reference = json!(s.peer.base.join("/notes/forged").unwrap());
    let (status, body) = s.mallory.post(&s.inbox, &create(&s, 1, by_reference)).await;
    assert!(
        (400..500).contains(&status) || status == 502,
        "{status} {body}"
    );
    assert!(body.contains("another origin"), "{body}");
    assert_eq!(count(&s.node, "SELECT COUNT(*) FROM remote_posts").await, 0);
    assert_eq!(
        count(&s.node, "SELECT COUNT(*) FROM received_activities").await,
        0
    );
}

async fn a_reply_chain_a_thousand_deep_costs_a_bounded_number_of_requests(backend: Backend) {
    let s = scene(backend).await;
    let leaf = reply_chain(&s, 1000);
    let started = std::time::Instant::now();
    let (status, body) = s.mallory.post(&s.inbox, &create(&s, 1, leaf)).await;
    assert_eq!(status, 202, "{body}");
    let fetched = chain_gets(&s);
    assert!(
        fetched <= MAX_THREAD_DEPTH,
        "{fetched} ancestors fetched for one reply (at most {MAX_THREAD_DEPTH})"
    );
    assert!(fetched > 0, "the walk up the chain did start");
    assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    // Too deep to reach the story: not part of the conversation, and mallory is not followed.
    assert_eq!(count(&s.node, "SELECT COUNT(*) FROM remote_posts").await, 0);
}

async fn a_short_reply_chain_joins_the_conversation_with_its_ancestors(backend: Backend) {
    let s = scene(backend).await;
    let leaf = reply_chain(&s, 3);
    let (status, body) = s.mallory.post(&s.inbox, &create(&s, 1, leaf)).await;
    assert_eq!(status, 202, "{body}");
    assert_eq!(chain_gets(&s), 3, "each unknown ancestor fetched once");
    assert_eq!(
        count(
            &s.node,
            "SELECT COUNT(*) FROM remote_posts WHERE story_id IS NOT NULL"
        )
        .await,
        4
    );
    // One level of threading: everything hangs under /chain/0, the reply to the story.
    assert_eq!(
        count(
            &s.node,
            "SELECT COUNT(*) FROM remote_posts WHERE thread_parent IS NULL"
        )
        .await,
        1
    );
    let page = crate::helpers::get_text(&s.story).await;
    for n in 0..=3 {
        assert!(page.contains(&format!("<p>/chain/{n}</p>")), "{n}: {page}");
    }
    assert!(page.contains("4 replies"), "{page}");
    let at = |n: u32| page.find(&format!("<p>/chain/{n}</p>")).unwrap();
    assert!(
        at(0) < at(1) && at(1) < at(2) && at(2) < at(3),
        "in conversation order"
    );
}

async fn an_announce_of_itself_or_of_an_activity_is_refused(backend: Backend) {
    let s = scene(backend).await;
    mutual::content::follows::follow(&s.node.node, "reel", s.mallory.id.as_str())
        .await
        .ok();
    let id = s.peer.base.join("/activities/loop").unwrap();
    for object in [
        json!(id),
        json!({ "id": s.peer.base.join("/activities/x").unwrap(), "type": "Announce" }),
    ] {
        let announce = json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": id, "type": "Announce", "actor": s.mallory.id, "object": object,
        });
        let (status, body) = s
            .mallory
            .post(&s.inbox, announce.to_string().as_bytes())
            .await;
        assert_eq!(status, 400, "{body}");
    }
    assert_eq!(count(&s.node, "SELECT COUNT(*) FROM boosts").await, 0);
}

async fn a_signed_update_of_another_hosts_actor_is_refused_and_changes_nothing(backend: Backend) {
    let s = scene(backend).await;
    let other = Peer::spawn().await;
    let victim = other.actor("victim");
    // The node knows the victim (it followed the co-op).
    let follow = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": other.base.join("/activities/f").unwrap(), "type": "Follow",
        "actor": victim.id, "object": s.node.actor("reel"),
    });
    assert_eq!(
        victim.post(&s.inbox, follow.to_string().as_bytes()).await.0,
        202
    );
    let before = count(
        &s.node,
        "SELECT COUNT(*) FROM remote_actors WHERE name = 'Hacked'",
    )
    .await;
    let update = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": s.peer.base.join("/activities/u").unwrap(), "type": "Update", "actor": s.mallory.id,
        "object": {
            "id": victim.id, "type": "Person", "name": "Hacked", "preferredUsername": "victim",
            "inbox": s.peer.base.join("/stolen").unwrap(),
        },
    });
    let (status, body) = s
        .mallory
        .post(&s.inbox, update.to_string().as_bytes())
        .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(before, 0);
    assert_eq!(
        count(
            &s.node,
            "SELECT COUNT(*) FROM remote_actors WHERE name = 'Hacked' OR inbox LIKE '%stolen%'"
        )
        .await,
        0
    );
    // Nor can mallory edit the victim's post.
    let edit = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": s.peer.base.join("/activities/u2").unwrap(), "type": "Update", "actor": s.mallory.id,
        "object": { "id": other.base.join("/notes/1").unwrap(), "type": "Note",
                    "attributedTo": victim.id, "content": "forged" },
    });
    assert_eq!(
        s.mallory
            .post(&s.inbox, edit.to_string().as_bytes())
            .await
            .0,
        403
    );
    let _ = get_activity_json(s.node.actor("reel")).await;
}

/// The co-op follows `actor` (accepted), as if the actor had answered.
async fn followed(node: &TestNode, actor: &url::Url) {
    let mut conn = node.node.db.acquire().await.unwrap();
    let coop = mutual::db::coops::by_handle(&mut conn, "reel")
        .await
        .unwrap()
        .unwrap();
    let follow_id = format!("{}#follow", actor);
    mutual::db::follows::upsert_pending(&mut conn, coop.id, actor.as_str(), &follow_id, 1)
        .await
        .unwrap();
    let row = mutual::db::follows::find(&mut conn, coop.id, actor.as_str())
        .await
        .unwrap()
        .unwrap();
    mutual::db::follows::set_state(&mut conn, row.id, "accepted")
        .await
        .unwrap();
}

async fn an_announce_of_an_object_from_a_blocked_domain_is_dropped_unfetched(backend: Backend) {
    let s = scene(backend).await;
    followed(&s.node, &s.mallory.id).await;
    let spam = Peer::spawn().await;
    let spammer = spam.actor("spammer");
    spam.serve(
        "/notes/spam",
        json!({ "id": spam.base.join("/notes/spam").unwrap(), "type": "Note",
                "attributedTo": spammer.id, "content": "<p>buy now</p>" }),
    );
    let host =
        spam.base.host_str().unwrap().to_string() + ":" + &spam.base.port().unwrap().to_string();
    mutual::moderation::domains::block(&s.node.node, &host)
        .await
        .unwrap();
    let announce = |n: u32, object: &url::Url| {
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": s.peer.base.join(&format!("/activities/boost-{n}")).unwrap(),
            "type": "Announce", "actor": s.mallory.id, "object": object,
        })
        .to_string()
    };
    let spam_note = spam.base.join("/notes/spam").unwrap();
    let (status, body) = s
        .mallory
        .post(&s.inbox, announce(1, &spam_note).as_bytes())
        .await;
    assert_eq!(status, 202, "{body}");
    assert!(
        spam.gets().iter().all(|(p, _)| p != "/notes/spam"),
        "never fetched"
    );
    assert_eq!(count(&s.node, "SELECT COUNT(*) FROM boosts").await, 0);
    assert_eq!(count(&s.node, "SELECT COUNT(*) FROM remote_posts").await, 0);
    // The same boost of a post elsewhere is kept: the drop is the block's doing.
    s.peer.serve(
        "/notes/fine",
        note(&s, "/notes/fine", "https://elsewhere.example/x"),
    );
    let fine = s.peer.base.join("/notes/fine").unwrap();
    let (status, body) = s
        .mallory
        .post(&s.inbox, announce(2, &fine).as_bytes())
        .await;
    assert_eq!(status, 202, "{body}");
    assert_eq!(count(&s.node, "SELECT COUNT(*) FROM boosts").await, 1);
}

async fn a_deleted_reply_is_never_kept_again(backend: Backend) {
    let s = scene(backend).await;
    let reply = note(&s, "/notes/r", &s.story);
    let (status, body) = s
        .mallory
        .post(&s.inbox, &create(&s, 1, reply.clone()))
        .await;
    assert_eq!(status, 202, "{body}");
    let kept = "SELECT COUNT(*) FROM remote_posts WHERE story_id IS NOT NULL";
    assert_eq!(count(&s.node, kept).await, 1);
    let delete = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": s.peer.base.join("/activities/delete").unwrap(), "type": "Delete",
        "actor": s.mallory.id,
        "object": { "id": reply["id"], "type": "Tombstone" },
    });
    assert_eq!(
        s.mallory
            .post(&s.inbox, delete.to_string().as_bytes())
            .await
            .0,
        202
    );
    assert_eq!(count(&s.node, kept).await, 0);
    assert_eq!(
        count(&s.node, "SELECT COUNT(*) FROM notifications").await,
        0
    );
    // Sent again (a late retry, or a replay): still gone.
    let (status, body) = s.mallory.post(&s.inbox, &create(&s, 2, reply)).await;
    assert_eq!(status, 202, "{body}");
    assert_eq!(count(&s.node, kept).await, 0);
}
