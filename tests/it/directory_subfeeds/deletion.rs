//! The organiser deletes a sub-feed (`/organise` or `mutual directory subfeed delete`): its
//! followers receive a signed Delete of the account, it boosts nothing more, and its
//! addresses answer 410 Gone. Created again, it comes back with a new key pair, and a
//! Delete still waiting to be delivered is not sent any more.

use mutual::content::stories;
use mutual::db::followers::NewFollower;
use mutual::directory::subfeeds::{self, Slice};
use reqwest::StatusCode;
use serde_json::json;

use super::boosts::{boosts, follow_from_sink, listed_coop};
use crate::helpers::browser::Browser;
use crate::helpers::cli::{json_of, mutual_on};
use crate::helpers::sink::Sink;
use crate::helpers::{Backend, TestNode, count, eventually, get_activity_json, http};

on_both_backends!(
    a_deleted_subfeed_tells_its_followers_boosts_nothing_and_is_gone,
    a_subfeed_created_again_has_a_new_key_and_its_old_delete_is_not_sent,
);

async fn status_of(url: url::Url, accept: &str) -> StatusCode {
    http()
        .get(url)
        .header("accept", accept)
        .send()
        .await
        .unwrap()
        .status()
}

async fn a_deleted_subfeed_tells_its_followers_boosts_nothing_and_is_gone(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    let a = TestNode::spawn(backend).await;
    listed_coop(&dir, &a, "reel", "film", "england").await;
    subfeeds::create(&dir.node, Slice::parse("sector", "film").unwrap())
        .await
        .unwrap();
    let sink = Sink::spawn().await;
    follow_from_sink(&dir, &sink, 1, "film").await;
    follow_from_sink(&dir, &sink, 2, "directory").await;
    let film = dir.actor("film");

    // The organiser deletes it from /organise.
    let mut boss = Browser::node_admin(&dir).await;
    let page = boss.get("/organise").await;
    assert!(
        page.body
            .contains(r#"<input type="hidden" name="handle" value="film">"#),
        "{}",
        page.body
    );
    let handle = format!("@film@{}", dir.domain());
    assert!(
        page.body.contains(&format!("Delete {handle}")),
        "{}",
        page.body
    );
    let forged = boss
        .post("/organise/subfeed/delete", &[("handle", "film")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "no CSRF token");
    let page = boss
        .submit(
            "/organise",
            "/organise/subfeed/delete",
            &[("handle", "film")],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains(&format!("Deleted {handle}")),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(r#"<option value="film">Film</option>"#),
        "free again"
    );

    // Its follower gets a Delete of the account, signed with its key.
    let (s, f) = (sink.clone(), film.to_string());
    let delete = eventually(15, "the Delete of the sub-feed", move || {
        let (s, f) = (s.clone(), f.clone());
        async move {
            s.arrivals()
                .into_iter()
                .find(|a| a.kind == "Delete" && a.actor == f)
        }
    })
    .await;
    assert_eq!(delete.object, film.as_str(), "the actor itself");
    assert_eq!(delete.inbox, sink.inbox(1));
    assert_eq!(delete.status, 202, "its signature verifies");
    assert_eq!(count(&dir, "SELECT COUNT(*) FROM subfeeds").await, 0);
    assert_eq!(
        count(&dir, "SELECT COUNT(*) FROM followers f JOIN coops c ON c.id = f.coop_id WHERE c.handle = 'film'").await,
        0
    );

    // Gone: its actor, page, WebFinger and inbox answer 410.
    let ap = "application/activity+json";
    assert_eq!(status_of(film.clone(), ap).await, StatusCode::GONE);
    assert_eq!(status_of(film.clone(), "text/html").await, StatusCode::GONE);
    let finger = dir
        .base
        .join(&format!(
            "/.well-known/webfinger?resource=acct:film@{}",
            dir.domain()
        ))
        .unwrap();
    assert_eq!(
        status_of(finger, "application/jrd+json").await,
        StatusCode::GONE
    );
    let person = sink.actor(3);
    let follow = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}#follow-film", person.id),
        "type": "Follow", "actor": person.id, "object": film,
    });
    let inbox = dir.base.join("/coops/film/inbox").unwrap();
    let (status, text) = person.post(&inbox, follow.to_string().as_bytes()).await;
    assert_eq!(status, 410, "{text}");

    // It boosts nothing more: the directory boosts reel's story to its follower, the
    // deleted sub-feed to no one.
    let story = stories::publish(&a.node, "reel", "After the sub-feed", "Hello.", &[])
        .await
        .unwrap();
    let directory = dir.actor("directory").to_string();
    let (s, d) = (sink.clone(), directory.clone());
    eventually(15, "the directory's boost", move || {
        let (s, d) = (s.clone(), d.clone());
        async move { (!boosts(&s, 2, &d).is_empty()).then_some(()) }
    })
    .await;
    assert_eq!(
        boosts(&sink, 2, &directory),
        [story.url(&a.base).to_string()]
    );
    assert!(boosts(&sink, 1, film.as_str()).is_empty());
    assert_eq!(
        count(&dir, "SELECT COUNT(*) FROM activities a JOIN coops c ON c.id = a.coop_id WHERE c.handle = 'film' AND a.body LIKE '%\"Announce\"%'").await,
        0
    );
    dir.stop().await;
    a.stop().await;
}

async fn a_subfeed_created_again_has_a_new_key_and_its_old_delete_is_not_sent(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    subfeeds::create(&dir.node, Slice::parse("nation", "wales").unwrap())
        .await
        .unwrap();
    let before = get_activity_json(dir.actor("wales")).await;
    // A follower whose server does not answer: the Delete to it waits to be retried.
    let coop = mutual::content::coops::find(&dir.node, "wales")
        .await
        .unwrap();
    let mut conn = dir.node.db.acquire().await.unwrap();
    let follower = NewFollower {
        coop_id: coop.row.id,
        actor_id: "http://localhost:1/users/away",
        inbox: "http://localhost:1/users/away/inbox",
        shared_inbox: None,
        follow_id: "http://localhost:1/follows/1",
        state: "accepted",
    };
    mutual::db::followers::upsert(&mut conn, &follower, mutual::now_ms())
        .await
        .unwrap();
    drop(conn);

    let out = mutual_on(
        &dir,
        true,
        &["--json", "directory", "subfeed", "delete", "@wales"],
    )
    .await;
    assert_eq!(json_of(&out)["deleted"], true);
    assert_eq!(
        status_of(dir.actor("wales"), "application/activity+json").await,
        StatusCode::GONE
    );
    let pending = "SELECT COUNT(*) FROM deliveries WHERE state = 'pending' AND inbox = 'http://localhost:1/users/away/inbox'";
    assert_eq!(
        count(&dir, pending).await,
        1,
        "the Delete waits for a retry"
    );
    // Deleting it again, or something that is not a sub-feed: a one-line error.
    for (handle, needle) in [("wales", "was deleted"), ("directory", "no sub-feed")] {
        let out = mutual_on(&dir, true, &["directory", "subfeed", "delete", handle]).await;
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
        assert!(stderr.contains(needle), "{stderr}");
    }

    // Created again: back at the same address with a new key, no followers, and the old
    // Delete is not sent (it would make servers forget the account again).
    let out = mutual_on(
        &dir,
        true,
        &[
            "--json",
            "directory",
            "subfeed",
            "create",
            "--nation",
            "wales",
        ],
    )
    .await;
    assert_eq!(json_of(&out)["handle"], "wales");
    let after = get_activity_json(dir.actor("wales")).await;
    assert_eq!(after["type"], "Service");
    assert_eq!(after["id"], before["id"]);
    assert_ne!(
        after["publicKey"]["publicKeyPem"], before["publicKey"]["publicKeyPem"],
        "a new key pair"
    );
    assert_eq!(
        get_activity_json(after["followers"].as_str().unwrap()).await["totalItems"],
        0
    );
    assert_eq!(count(&dir, pending).await, 0);
    assert_eq!(
        count(
            &dir,
            "SELECT COUNT(*) FROM deliveries WHERE last_error = 'the sub-feed was created again'"
        )
        .await,
        1
    );
    assert_eq!(count(&dir, "SELECT COUNT(*) FROM subfeeds").await, 1);
    dir.stop().await;
}
