//! A sub-feed is a Service actor found like any other; following it lists no one; bad
//! codes, taken handles and a second sub-feed of one slice are refused.

use mutual::content::profile::ProfileInput;
use mutual::content::{coops, followers, follows};
use mutual::directory::subfeeds::{self, Slice};
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::directory::listing;
use crate::helpers::{
    Backend, TestNode, accepted_follow, count, get_activity_json, get_text, http,
};

on_both_backends!(
    a_subfeed_is_a_service_that_webfinger_finds_and_following_it_lists_no_one,
    a_bad_code_a_taken_handle_or_a_second_subfeed_of_a_slice_is_refused,
    nodeinfo_counts_the_coops_and_not_the_directorys_actors,
);

async fn a_subfeed_is_a_service_that_webfinger_finds_and_following_it_lists_no_one(
    backend: Backend,
) {
    let dir = TestNode::spawn_directory(backend).await;
    let a = TestNode::spawn(backend).await;
    for (facet, code) in [("sector", "visual-arts"), ("nation", "scotland")] {
        subfeeds::create(&dir.node, Slice::parse(facet, code).unwrap())
            .await
            .unwrap();
    }
    let id = dir.actor("visual-arts");
    let doc = get_activity_json(id.clone()).await;
    assert_eq!(doc["type"], "Service");
    assert_eq!(doc["id"], id.as_str());
    assert_eq!(doc["preferredUsername"], "visual-arts");
    assert_eq!(
        doc["name"],
        format!("Visual arts co-ops — directory on {}", dir.domain())
    );
    assert!(
        doc["summary"].as_str().unwrap().contains("visual arts"),
        "{doc}"
    );
    assert_eq!(doc["publicKey"]["id"], format!("{id}#main-key"));
    assert_eq!(doc["publicKey"]["owner"], id.as_str());
    let pem = doc["publicKey"]["publicKeyPem"].as_str().unwrap();
    mutual::federation::signatures::keys::PublicKey::from_pem(pem).unwrap();
    for key in [
        "attachment",
        "sectors",
        "nation",
        "location",
        "directoryBoost",
    ] {
        assert!(
            doc.get(key).is_none(),
            "a Service has no co-op {key}: {doc}"
        );
    }
    let followers = get_activity_json(doc["followers"].as_str().unwrap()).await;
    assert_eq!(followers["totalItems"], 0);
    let outbox = get_activity_json(doc["outbox"].as_str().unwrap()).await;
    assert_eq!(outbox["type"], "OrderedCollection");
    let nation = get_activity_json(dir.actor("scotland")).await;
    assert_eq!(nation["type"], "Service");
    assert_eq!(
        nation["name"],
        format!("Co-ops in Scotland — directory on {}", dir.domain())
    );

    // WebFinger finds it, and another node resolves the handle to it.
    let mut finger = dir.base.join("/.well-known/webfinger").unwrap();
    finger
        .query_pairs_mut()
        .append_pair("resource", &format!("acct:visual-arts@{}", dir.domain()));
    let jrd: Value = http()
        .get(finger)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(jrd["subject"], format!("acct:visual-arts@{}", dir.domain()));
    assert_eq!(jrd["links"][0]["href"], id.as_str());
    let handle = format!("@scotland@{}", dir.domain());
    let found = follows::resolve_target(&a.node, &handle, &Default::default())
        .await
        .unwrap();
    assert_eq!(found, dir.actor("scotland"));

    // A co-op may follow it, but that is no consent: no follow-back, no listing.
    let input = ProfileInput {
        name: Some("Glen co-op".into()),
        nation: Some("scotland".into()),
        sectors: vec!["music".into()],
        ..Default::default()
    };
    coops::create(&a.node, "glen", &input).await.unwrap();
    follows::follow(&a.node, "glen", &handle).await.unwrap();
    accepted_follow(&a, "glen").await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(listing(&dir, a.actor("glen").as_str()).await.is_none());
    assert!(
        followers::list(&a.node, "glen", None)
            .await
            .unwrap()
            .is_empty(),
        "the sub-feed does not follow back"
    );
    let followers = get_activity_json(doc["followers"].as_str().unwrap()).await;
    assert_eq!(followers["totalItems"], 0);
    let scotland = get_activity_json(nation["followers"].as_str().unwrap()).await;
    assert_eq!(scotland["totalItems"], 1);
    // Not a co-op of the node: not on its home page, and its page's feed is its slice of
    // the directory's; the co-op feed address redirects there.
    let home = get_text(dir.base.clone()).await;
    assert!(!home.contains("@scotland@"), "{home}");
    let page = get_text(dir.actor("scotland")).await;
    assert!(page.contains("Co-ops in Scotland"), "{page}");
    assert!(!page.contains("<dt>"), "no co-op profile rows: {page}");
    let slice_feed = dir
        .base
        .join("/directory/feed.atom?nation=scotland")
        .unwrap();
    let link = format!(
        r#"type="application/atom+xml" title="Co-ops in Scotland — directory on {}" href="{slice_feed}""#,
        dir.domain()
    );
    assert!(page.contains(&link), "{page}");
    for (handle, to) in [
        ("scotland", slice_feed.clone()),
        ("directory", dir.base.join("/directory/feed.atom").unwrap()),
    ] {
        let feed = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .get(
                dir.base
                    .join(&format!("/coops/{handle}/feed.atom"))
                    .unwrap(),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(feed.status(), StatusCode::PERMANENT_REDIRECT, "{handle}");
        assert_eq!(feed.headers()["location"], to.as_str(), "{handle}");
        let atom = get_text(to).await;
        assert!(
            atom.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""),
            "{atom}"
        );
    }
    let directory_page = get_text(dir.actor("directory")).await;
    assert!(
        directory_page.contains(&format!(r#"href="{}directory/feed.atom""#, dir.base)),
        "{directory_page}"
    );
    dir.stop().await;
    a.stop().await;
}

async fn a_bad_code_a_taken_handle_or_a_second_subfeed_of_a_slice_is_refused(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    let refused = |r: Result<Slice, mutual::AppError>| {
        let e = r.unwrap_err();
        assert_eq!(e.status(), StatusCode::UNPROCESSABLE_ENTITY);
        e.to_string()
    };
    assert!(refused(Slice::parse("sector", "opera")).contains("sector: 'opera' is not one of"));
    assert!(refused(Slice::parse("nation", "cornwall")).contains("nation: 'cornwall'"));
    assert!(refused(Slice::parse("region", "london")).contains("facet: 'region'"));

    let film = Slice::parse("sector", "film").unwrap();
    subfeeds::create(&dir.node, film).await.unwrap();
    let again = subfeeds::create(&dir.node, film).await.unwrap_err();
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert!(
        again.to_string().contains("@film already exists"),
        "{again}"
    );

    // A co-op that took the handle before codes were reserved keeps it.
    let keys = mutual::federation::signatures::keys::generate_rsa_keypair().unwrap();
    let profile = mutual::content::profile::Profile::create(&ProfileInput {
        name: Some("Music co-op".into()),
        nation: Some("wales".into()),
        sectors: vec!["music".into()],
        ..Default::default()
    })
    .unwrap();
    let mut conn = dir.node.db.acquire().await.unwrap();
    mutual::db::coops::insert(
        &mut conn,
        "coop",
        "music",
        &profile.columns(),
        &keys.private_key_pem,
        &keys.public_key_pem,
        mutual::now_ms(),
    )
    .await
    .unwrap();
    drop(conn);
    let music = Slice::parse("sector", "music").unwrap();
    let taken = subfeeds::create(&dir.node, music).await.unwrap_err();
    assert_eq!(taken.status(), StatusCode::CONFLICT);
    assert!(taken.to_string().contains("taken by a co-op"), "{taken}");
    assert_eq!(count(&dir, "SELECT COUNT(*) FROM subfeeds").await, 1);

    let plain = TestNode::spawn(backend).await;
    let elsewhere = subfeeds::create(&plain.node, film).await.unwrap_err();
    assert_eq!(elsewhere.status(), StatusCode::NOT_FOUND);
    dir.stop().await;
    plain.stop().await;
}

/// NodeInfo's users are the co-ops: the directory actor and its sub-feeds are not counted,
/// and the active counts are the co-ops that published in the last 30 and 180 days.
async fn nodeinfo_counts_the_coops_and_not_the_directorys_actors(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    for (facet, code) in [("sector", "film"), ("nation", "wales")] {
        subfeeds::create(&dir.node, Slice::parse(facet, code).unwrap())
            .await
            .unwrap();
    }
    for handle in ["reel", "band", "quiet"] {
        dir.coop(handle).await;
    }
    use mutual::content::stories;
    stories::publish(&dir.node, "reel", "New", "Just now.", &[])
        .await
        .unwrap();
    let old = stories::publish(&dir.node, "band", "Old", "Two months ago.", &[])
        .await
        .unwrap();
    let two_months_ago = mutual::now_ms() - 60 * 24 * 60 * 60 * 1000;
    sqlx::query("UPDATE stories SET published_at = $1 WHERE id = $2")
        .bind(two_months_ago)
        .bind(old.row.id)
        .execute(&dir.node.db)
        .await
        .unwrap();

    let info = get_activity_json(dir.base.join("/nodeinfo/2.1").unwrap()).await;
    let users = &info["usage"]["users"];
    assert_eq!(users["total"], 3, "{info}");
    assert_eq!(users["activeMonth"], 1, "{info}");
    assert_eq!(users["activeHalfyear"], 2, "{info}");
    assert_eq!(info["usage"]["localPosts"], 2, "{info}");
    dir.stop().await;
}
