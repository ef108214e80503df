//! The directory with a real non-mutual peer: a Fedify actor (tests/peers/fedify-follower.mjs
//! with `--accept-follows` and `--profile`) stands in for a co-op that lives on another kind
//! of server. It follows the directory, accepts the directory's Follow back, and is listed
//! with the fields read from its `PropertyValue` attachments. Gated on `MUTUAL_TEST_PEERS`,
//! like tests/it/peers.rs.

use mutual::db::listings::{ListingRow, ListingStoryRow};
use serde_json::{Value, json};
use url::Url;

use crate::helpers::fedify::{FedifyFollower, field, peers_enabled};
use crate::helpers::{Backend, TestNode, eventually};

/// The Website field as Mastodon renders a profile link.
const WEBSITE_FIELD: &str = r#"<a href="https://lens.example/" target="_blank" rel="nofollow noopener me" translate="no"><span class="invisible">https://</span><span class="">lens.example/</span></a>"#;

/// The profile of a photography co-op on another kind of server, with the fields that a
/// Mastodon account would carry, plus `indexable` when its posts may be indexed.
fn coop_profile(discoverable: bool, indexable: bool) -> String {
    let mut profile = json!({
        "name": "Lens Co-op",
        "summary": "<p>A photographers' co-operative in Cardiff. We share a darkroom and a studio.</p>",
        "attachments": [
            { "name": "Region", "value": "Cardiff, Wales" },
            { "name": "Sector", "value": "Photography, Visual arts" },
            { "name": "Founded", "value": "2015" },
            { "name": "Members", "value": "7" },
            { "name": "Website", "value": WEBSITE_FIELD },
        ],
    });
    if discoverable {
        profile["discoverable"] = json!(true);
    }
    if indexable {
        profile["indexable"] = json!(true);
    }
    profile.to_string()
}

/// The listing of `actor` once `matches` holds, within 15 s.
async fn listing_where(
    dir: &TestNode,
    actor: &str,
    what: &str,
    matches: impl Fn(&ListingRow) -> bool + Send + Sync + Clone + 'static,
) -> ListingRow {
    let (node, actor) = (dir.node.clone(), actor.to_string());
    eventually(15, what, move || {
        let (node, actor, matches) = (node.clone(), actor.clone(), matches.clone());
        async move {
            let mut conn = node.db.acquire().await.unwrap();
            let row = mutual::db::listings::find(&mut conn, &actor)
                .await
                .unwrap()?;
            matches(&row).then_some(row)
        }
    })
    .await
}

async fn sectors_of(dir: &TestNode, actor: &str) -> Vec<String> {
    let mut conn = dir.node.db.acquire().await.unwrap();
    sqlx::query_scalar("SELECT sector FROM listing_sectors WHERE actor_id = $1 ORDER BY sector")
        .bind(actor)
        .fetch_all(&mut *conn)
        .await
        .unwrap()
}

async fn stories_of(dir: &TestNode, actor: &str) -> Vec<ListingStoryRow> {
    let mut conn = dir.node.db.acquire().await.unwrap();
    sqlx::query_as(
        "SELECT id, actor_id, title, content, url, kind, published_at \
         FROM listing_stories WHERE actor_id = $1",
    )
    .bind(actor)
    .fetch_all(&mut *conn)
    .await
    .unwrap()
}

/// What a joining peer saw: its actor URL and the id of the directory's Follow it accepted.
struct Joined {
    actor: String,
    directory_follow: String,
}

/// Starts a directory and a Fedify co-op with `profile` that follows the directory; waits
/// until the directory has accepted its Follow, followed back and been accepted.
async fn fedify_coop_joins(profile: &str) -> (TestNode, FedifyFollower, Joined) {
    let dir = TestNode::spawn_directory(Backend::Sqlite).await;
    let directory = dir.actor("directory");
    let mut peer = FedifyFollower::spawn_with(
        &directory,
        "draft-cavage",
        &["--accept-follows", "--profile", profile],
    )
    .await;
    let ready = peer.wait_for("ready", |_| true).await;
    let actor = field(&ready, "/actor").to_string();

    // The peer finds the directory's Service actor and follows it; the directory accepts.
    let lookup = peer.wait_for("lookup", |_| true).await;
    assert_eq!(
        field(&lookup, "/id"),
        directory.as_str(),
        "{}",
        peer.report()
    );
    assert_eq!(field(&lookup, "/type"), "Service", "{}", peer.report());
    assert_eq!(
        field(&lookup, "/preferredUsername"),
        "directory",
        "{}",
        peer.report()
    );
    let accept = peer.wait_for("accept", |_| true).await;
    assert_eq!(accept["matches_follow"], true, "{}", peer.report());
    assert_eq!(
        field(&accept, "/actor"),
        directory.as_str(),
        "{}",
        peer.report()
    );

    // The directory follows back, and the peer accepts (its consent to be listed).
    let follow = peer
        .wait_for("follow-received", |e| e["actor"] == directory.as_str())
        .await;
    assert_eq!(field(&follow, "/object"), actor, "{}", peer.report());
    let directory_follow = field(&follow, "/activity").to_string();
    let sent = peer
        .wait_for("accept-sent", |e| e["object"] == directory_follow.as_str())
        .await;
    assert_eq!(
        field(&sent, "/actor"),
        directory.as_str(),
        "{}",
        peer.report()
    );
    (
        dir,
        peer,
        Joined {
            actor,
            directory_follow,
        },
    )
}

/// Sends a Note from the peer to its followers (the directory) and waits until it is sent.
async fn publish_note(
    peer: &mut FedifyFollower,
    directory: &Url,
    name: &str,
    content: &str,
) -> String {
    peer.command(json!({ "command": "create-note", "name": name, "content": content }))
        .await;
    let sent = peer.wait_for("note-sent", |_| true).await;
    let recipients: Vec<&str> = sent["recipients"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    assert_eq!(recipients, [directory.as_str()], "{}", peer.report());
    field(&sent, "/object").to_string()
}

/// Closes the peer and checks that nothing failed verification and that the directory's
/// draft-cavage signatures were accepted at the first knock.
async fn finish(peer: &mut FedifyFollower) {
    peer.finish().await;
    peer.check_no_failure();
    let report = peer.report();
    assert!(
        !report.contains("(double-knocking)"),
        "the directory refused Fedify's draft-cavage signature, so Fedify retried\n{report}"
    );
    eprintln!("fedify-follower events:\n{}", peer.events_seen());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fedify_peer_joins_the_directory_and_is_listed_from_its_property_values() {
    if !peers_enabled() {
        return;
    }
    // Arrange and act: a co-op on another kind of server, discoverable and indexable,
    // follows the directory and accepts its Follow back.
    let (dir, mut peer, joined) = fedify_coop_joins(&coop_profile(true, true)).await;
    let directory = dir.actor("directory");
    let port = Url::parse(&joined.actor).unwrap().port().unwrap();

    // Assert: it is listed, with its fields read from its PropertyValues.
    let listed = listing_where(&dir, &joined.actor, "the Fedify co-op to be listed", |r| {
        r.state == "listed"
    })
    .await;
    let report = peer.report();
    assert_eq!(listed.name, "Lens Co-op", "{report}");
    assert_eq!(
        listed.handle.as_deref(),
        Some(format!("@tester@localhost:{port}").as_str()),
        "{report}"
    );
    assert!(
        listed
            .summary
            .contains("A photographers' co-operative in Cardiff"),
        "{}\n{report}",
        listed.summary
    );
    assert_eq!(listed.nation.as_deref(), Some("wales"), "{report}");
    assert_eq!(
        listed.region, None,
        "a region is an England region\n{report}"
    );
    assert_eq!(listed.founded, Some(2015), "{report}");
    assert_eq!(listed.members, Some(7), "{report}");
    assert_eq!(
        listed.website.as_deref(),
        Some("https://lens.example/"),
        "{report}"
    );
    assert_eq!(listed.indexable, 1, "{report}");
    assert_eq!(listed.boost_allowed, 1, "{report}");
    assert_eq!(
        listed.follow_id.as_deref(),
        Some(joined.directory_follow.as_str()),
        "the listing rests on the Follow the peer accepted\n{report}"
    );
    assert!(listed.listed_at.is_some() && listed.last_seen_at.is_some());
    assert_eq!(
        sectors_of(&dir, &joined.actor).await,
        ["photography", "visual-arts"],
        "{report}"
    );

    // Act: the co-op publishes a Note to its followers, the directory among them.
    let title = "Darkroom open day";
    let content = "<p>Come and print with us on Saturday.</p>";
    let note = publish_note(&mut peer, &directory, title, content).await;

    // Assert: it is indexable, so the story is indexed ...
    let (node, actor, id) = (dir.node.clone(), joined.actor.clone(), note.clone());
    let story = eventually(15, "the Fedify co-op's Note to be indexed", move || {
        let (node, actor, id) = (node.clone(), actor.clone(), id.clone());
        async move {
            let mut conn = node.db.acquire().await.unwrap();
            let stories: Vec<ListingStoryRow> = sqlx::query_as(
                "SELECT id, actor_id, title, content, url, kind, published_at \
                 FROM listing_stories WHERE id = $1 AND actor_id = $2",
            )
            .bind(&id)
            .bind(&actor)
            .fetch_all(&mut *conn)
            .await
            .unwrap();
            stories.into_iter().next()
        }
    })
    .await;
    let report = peer.report();
    assert_eq!(story.title, title, "{report}");
    assert!(
        story
            .content
            .contains("Come and print with us on Saturday."),
        "{}\n{report}",
        story.content
    );
    assert_eq!(story.kind, "story", "{report}");
    assert_eq!(story.url.as_deref(), Some(note.as_str()), "{report}");
    let active = listing_where(&dir, &joined.actor, "the listing to be active", |r| {
        r.last_active_at.is_some()
    })
    .await;
    assert_eq!(active.state, "listed");

    // ... and boosted: the directory's Announce reaches its follower (the co-op itself),
    // signed so that Fedify verifies it.
    let announce = peer
        .wait_for("other", |e| {
            e["type"] == "Announce" && e["object"] == note.as_str()
        })
        .await;
    assert_eq!(
        field(&announce, "/actor"),
        directory.as_str(),
        "{}",
        peer.report()
    );

    finish(&mut peer).await;
    dir.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fedify_peer_without_indexable_is_listed_but_its_notes_are_not_indexed() {
    if !peers_enabled() {
        return;
    }
    // Arrange: a discoverable co-op that does not say `indexable: true` (Fedify, like
    // Mastodon, leaves it out unless set) joins the directory.
    let (dir, mut peer, joined) = fedify_coop_joins(&coop_profile(true, false)).await;
    let directory = dir.actor("directory");
    let listed = listing_where(&dir, &joined.actor, "the Fedify co-op to be listed", |r| {
        r.state == "listed"
    })
    .await;
    assert_eq!(listed.indexable, 0, "{}", peer.report());
    assert_eq!(listed.nation.as_deref(), Some("wales"), "{}", peer.report());

    // Act: it publishes a Note.
    publish_note(
        &mut peer,
        &directory,
        "Darkroom open day",
        "<p>Saturday.</p>",
    )
    .await;

    // Assert: the Note counts as activity, but is neither indexed nor boosted.
    listing_where(&dir, &joined.actor, "the listing to be active", |r| {
        r.last_active_at.is_some()
    })
    .await;
    assert!(
        stories_of(&dir, &joined.actor).await.is_empty(),
        "stories are indexed only when the actor has indexable: true\n{}",
        peer.report()
    );
    finish(&mut peer).await;
    let report = peer.report();
    assert!(
        !report.contains(r#""type":"Announce""#),
        "a story that is not indexed is not boosted\n{report}"
    );
    dir.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fedify_peer_without_discoverable_accepts_but_is_not_listed() {
    if !peers_enabled() {
        return;
    }
    // Arrange and act: the same co-op, but its actor does not say `discoverable: true`.
    let (dir, mut peer, joined) = fedify_coop_joins(&coop_profile(false, true)).await;

    // Assert: its Accept is not enough; the directory keeps nothing about it.
    let row = listing_where(&dir, &joined.actor, "the Accept to be processed", |r| {
        r.state != "invited"
    })
    .await;
    let report = peer.report();
    assert_eq!(row.state, "delisted", "{report}");
    assert_eq!(
        row.delisted_reason.as_deref(),
        Some("not discoverable, or opted out in its bio"),
        "{report}"
    );
    assert_eq!(row.name, "", "nothing about it is kept\n{report}");
    assert_eq!(row.nation, None, "{report}");
    assert!(sectors_of(&dir, &joined.actor).await.is_empty(), "{report}");
    finish(&mut peer).await;
    dir.stop().await;
}
