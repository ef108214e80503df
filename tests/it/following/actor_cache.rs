//! The remote-actor cache's refresh (`federation::actor_refresh`): the hourly sweep in
//! `serve` fetches again the followed actors cached more than 24 h ago, on the node's
//! (tokio) clock, and leaves fresh ones alone; gone actors (410, or 404 for a week) are
//! forgotten, failures wait an hour, and actors nobody here follows or is followed by are
//! never swept.

use std::time::Duration;

use mutual::db::remote_actors::RemoteActorRow;
use mutual::federation::actor_refresh::{self, Swept};
use mutual::federation::fetch::FetchBudget;
use mutual::federation::objects::remote_actor;
use serde_json::json;

use crate::helpers::peer::{Peer, PeerActor};
use crate::helpers::sink::{Spinner, idle};
use crate::helpers::{Backend, TestNode};

on_both_backends_current_thread!(
    the_hourly_sweep_fetches_a_stale_followed_actor_again_and_leaves_a_fresh_one
);
on_both_backends!(the_sweep_forgets_gone_actors_postpones_failures_and_skips_strangers);

const HOUR: Duration = Duration::from_secs(3600);

/// Serves `actor` again with a display name (same key).
fn rename(peer: &Peer, name: &str, actor: &PeerActor, display: &str) {
    peer.serve(
        &format!("/users/{name}"),
        json!({
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": actor.id,
            "type": "Person",
            "preferredUsername": name,
            "name": display,
            "inbox": format!("{}/inbox", actor.id),
            "publicKey": { "id": actor.key_id, "owner": actor.id, "publicKeyPem": actor.public_key_pem },
        }),
    );
}

async fn cached(node: &TestNode, actor: &PeerActor) -> Option<RemoteActorRow> {
    let mut conn = node.node.db.acquire().await.unwrap();
    mutual::db::remote_actors::by_id(&mut conn, actor.id.as_str())
        .await
        .unwrap()
}

/// Polls `check` for up to `secs` real seconds while tokio's clock stays paused; None when
/// it never held.
async fn within<T, Fut: std::future::Future<Output = Option<T>>>(
    secs: u64,
    mut check: impl FnMut() -> Fut,
) -> Option<T> {
    let started = std::time::Instant::now();
    while started.elapsed() < Duration::from_secs(secs) {
        if let Some(found) = check().await {
            return Some(found);
        }
        tokio::task::yield_now().await;
    }
    None
}

fn fetches_of(peer: &Peer, name: &str) -> usize {
    let path = format!("/users/{name}");
    peer.gets().iter().filter(|(p, _)| *p == path).count()
}

async fn the_hourly_sweep_fetches_a_stale_followed_actor_again_and_leaves_a_fresh_one(
    backend: Backend,
) {
    let node = TestNode::spawn_on_tokio_clock(backend).await;
    node.coop("reel").await;
    let peer = Peer::spawn().await;
    let (stale, fresh) = (peer.actor("stale"), peer.actor("fresh"));
    for actor in [&stale, &fresh] {
        mutual::content::follows::follow(&node.node, "reel", actor.id.as_str())
            .await
            .unwrap();
    }
    let _spin = Spinner::start();
    tokio::time::pause();

    // 20 hours on, "fresh" is used (and so fetched again); then both change their names.
    tokio::time::advance(20 * HOUR).await;
    remote_actor::fetch_and_store(&node.node, &fresh.id, &FetchBudget::new())
        .await
        .unwrap();
    rename(&peer, "stale", &stale, "Stale, renamed");
    rename(&peer, "fresh", &fresh, "Fresh, renamed");
    let fresh_fetches = fetches_of(&peer, "fresh");

    // 25 hours after it was cached, the next hourly sweep fetches "stale" again. (On a busy
    // machine the sweep of hour 20 can end after the clock reached hour 25; the serve loop's
    // next tick is then an hour later, so the clock is moved on to it, at most twice.)
    tokio::time::advance(5 * HOUR).await;
    let renamed = || async {
        cached(&node, &stale)
            .await
            .filter(|r| r.name.as_deref() == Some("Stale, renamed"))
    };
    let mut row = within(15, renamed).await;
    for _ in 0..2 {
        if row.is_some() {
            break;
        }
        tokio::time::advance(HOUR).await;
        row = within(15, renamed).await;
    }
    let row = row.expect("an hourly sweep fetches the stale actor again");
    assert!(node.node.clock.now_ms() - row.fetched_at < 3_600_000);

    // "fresh", cached 5 hours ago, is left as it was.
    tokio::time::advance(HOUR).await;
    idle(500).await;
    assert_eq!(fetches_of(&peer, "fresh"), fresh_fetches);
    assert_eq!(cached(&node, &fresh).await.unwrap().name, None);
    node.stop().await;
}

async fn the_sweep_forgets_gone_actors_postpones_failures_and_skips_strangers(backend: Backend) {
    let node = TestNode::spawn(backend).await;
    node.coop("reel").await;
    let peer = Peer::spawn().await;
    let (gone, missing, broken, stranger) = (
        peer.actor("gone"),
        peer.actor("missing"),
        peer.actor("broken"),
        peer.actor("stranger"),
    );
    // reel follows "gone" and "missing"; "broken" follows reel; nobody here has to do with
    // "stranger".
    for actor in [&gone, &missing] {
        mutual::content::follows::follow(&node.node, "reel", actor.id.as_str())
            .await
            .unwrap();
    }
    let follow = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/follows/1", broken.id),
        "type": "Follow",
        "actor": broken.id,
        "object": node.actor("reel"),
    });
    let inbox = node.base.join("/coops/reel/inbox").unwrap();
    let (status, text) = broken.post(&inbox, follow.to_string().as_bytes()).await;
    assert_eq!(status, 202, "{text}");
    remote_actor::resolve(&node.node, &stranger.id, &FetchBudget::new())
        .await
        .unwrap();
    {
        let mut conn = node.node.db.acquire().await.unwrap();
        sqlx::query("UPDATE remote_actors SET fetched_at = fetched_at - $1")
            .bind(25 * 3_600_000_i64)
            .execute(&mut *conn)
            .await
            .unwrap();
    }
    peer.gone("/users/gone");
    peer.unserve("/users/missing");
    // "broken" now serves a document whose id is on another server: refused.
    peer.serve(
        "/users/broken",
        json!({ "id": "http://elsewhere.localhost/users/broken", "type": "Person",
                "inbox": "http://elsewhere.localhost/users/broken/inbox" }),
    );
    let stranger_fetches = fetches_of(&peer, "stranger");

    let swept = actor_refresh::sweep(&node.node).await.unwrap();
    assert_eq!(
        swept,
        Swept {
            refreshed: 0,
            forgotten: 1,
            failed: 2
        }
    );
    assert!(cached(&node, &gone).await.is_none(), "410: forgotten");
    assert!(cached(&node, &missing).await.is_some(), "one 404: kept");
    let followed = || async {
        mutual::content::follows::list(&node.node, "reel")
            .await
            .unwrap()
            .into_iter()
            .map(|f| f.target_id)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        followed().await,
        [missing.id.to_string()],
        "gone's follow too"
    );
    assert!(cached(&node, &broken).await.is_some(), "kept, to try later");
    assert_eq!(
        mutual::content::followers::list(&node.node, "reel", None)
            .await
            .unwrap()
            .len(),
        1,
        "a failed refresh removes nobody"
    );
    assert_eq!(fetches_of(&peer, "stranger"), stranger_fetches);

    // The failure waits an hour: the next sweep has nothing to do.
    let broken_fetches = fetches_of(&peer, "broken");
    assert_eq!(
        actor_refresh::sweep(&node.node).await.unwrap(),
        Swept::default()
    );
    assert_eq!(fetches_of(&peer, "broken"), broken_fetches);

    // Still 404 six days after the first: kept.
    let missing_since = |days: i64| {
        let (node, id) = (&node, missing.id.as_str());
        async move {
            let mut conn = node.node.db.acquire().await.unwrap();
            sqlx::query(
                "UPDATE remote_actors SET missing_since = $1, refresh_after = 0, \
                 fetched_at = fetched_at - $2 WHERE id = $3",
            )
            .bind(node.node.clock.now_ms() - days * 24 * 3_600_000_i64)
            .bind(25 * 3_600_000_i64)
            .bind(id)
            .execute(&mut *conn)
            .await
            .unwrap();
        }
    };
    missing_since(6).await;
    let swept = actor_refresh::sweep(&node.node).await.unwrap();
    assert_eq!((swept.forgotten, swept.failed), (0, 1), "{swept:?}");
    assert!(
        cached(&node, &missing).await.is_some(),
        "404 for 6 days: kept"
    );

    // It answers again: refreshed, and no longer counted as missing, so its next 404 starts
    // the week afresh, though it was first missing eight days before.
    rename(&peer, "missing", &missing, "Back again");
    missing_since(8).await;
    let swept = actor_refresh::sweep(&node.node).await.unwrap();
    assert_eq!(swept.refreshed, 1, "{swept:?}");
    let row = cached(&node, &missing).await.unwrap();
    assert_eq!(row.name.as_deref(), Some("Back again"));
    peer.unserve("/users/missing");
    {
        let mut conn = node.node.db.acquire().await.unwrap();
        sqlx::query("UPDATE remote_actors SET fetched_at = fetched_at - $1 WHERE id = $2")
            .bind(25 * 3_600_000_i64)
            .bind(missing.id.as_str())
            .execute(&mut *conn)
            .await
            .unwrap();
    }
    let swept = actor_refresh::sweep(&node.node).await.unwrap();
    assert_eq!((swept.forgotten, swept.failed), (0, 1), "{swept:?}");
    assert!(cached(&node, &missing).await.is_some(), "a fresh 404: kept");

    // Still 404 eight days after the first: forgotten, with reel's follow of it.
    missing_since(8).await;
    let swept = actor_refresh::sweep(&node.node).await.unwrap();
    assert_eq!(swept.forgotten, 1, "{swept:?}");
    assert!(
        cached(&node, &missing).await.is_none(),
        "404 for 8 days: forgotten"
    );
    assert!(followed().await.is_empty());
    node.stop().await;
}
