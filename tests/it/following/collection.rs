//! The `following` collection lists accepted follows, unless the co-op hides them (the
//! profile form's checkbox, or `mutual coop edit --hide-following`): then it shows only
//! `totalItems`, as Mastodon does, and a page of it is 403.

use mutual::content::follows;
use mutual::db;
use serde_json::Value;

use super::{assert_see_other, node_with_admin};
use crate::helpers::cli::{json_of, mutual_on};
use crate::helpers::{Backend, TestNode, accepted_follow, get_activity_json, http};

on_both_backends!(the_following_collection_lists_accepted_follows_unless_the_coop_hides_them);

async fn the_following_collection_lists_accepted_follows_unless_the_coop_hides_them(
    backend: Backend,
) {
    let (a, mut ana) = node_with_admin(backend).await;
    let b = TestNode::spawn(backend).await;
    b.coop("band").await;
    b.coop("quiet").await;
    let band = b.actor("band");
    follows::follow(&a.node, "reel", band.as_str())
        .await
        .unwrap();
    accepted_follow(&a, "reel").await;
    // A pending follow is not listed: quiet approves by hand and has not yet.
    mutual::content::coops::edit(
        &b.node,
        "quiet",
        &mutual::content::profile::ProfileInput {
            manual_approval: Some(true),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    follows::follow(&a.node, "reel", b.actor("quiet").as_str())
        .await
        .unwrap();

    let url = a.base.join("/coops/reel/following").unwrap();
    let shown = get_activity_json(url.clone()).await;
    assert_eq!(shown["type"], "OrderedCollection");
    assert_eq!(shown["totalItems"], 1);
    assert_eq!(shown["first"], format!("{url}?page=1"));
    assert_eq!(
        first_page_items(&url).await,
        serde_json::json!([band.as_str()])
    );

    // Hidden from the profile form's Settings: only the size is shown.
    let form = ana.get("/manage/reel/profile").await;
    assert!(
        form.body.contains(r#"name="hide_following""#),
        "{}",
        form.body
    );
    let token = form.csrf();
    let page = ana
        .post(
            "/manage/reel/profile",
            &[
                ("csrf", token.as_str()),
                ("name", "Reel Co-op"),
                ("nation", "wales"),
                ("sectors", "film"),
                ("discoverable", "on"),
                ("indexable", "on"),
                ("hide_following", "on"),
            ],
        )
        .await;
    assert_see_other(&page, "/manage/reel/profile");
    let hidden = get_activity_json(url.clone()).await;
    let mut keys: Vec<&str> = hidden
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(keys, ["@context", "id", "totalItems", "type"], "{hidden}");
    assert_eq!(hidden["totalItems"], 1);
    assert_eq!(hidden["id"], url.as_str());
    let page = http()
        .get(format!("{url}?page=1"))
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 403);
    let admin_page = ana.get("/manage/reel/following").await;
    assert!(
        admin_page.body.contains("Other servers see only how many"),
        "{}",
        admin_page.body
    );
    // The followers collection is as it was: its size only, whatever the setting.
    let followers = get_activity_json(a.base.join("/coops/reel/followers").unwrap()).await;
    assert_eq!(followers["totalItems"], 0);
    assert!(followers.get("orderedItems").is_none());

    // Shown again from the command line.
    let out = mutual_on(
        &a,
        false,
        &["--json", "coop", "edit", "reel", "--show-following"],
    )
    .await;
    assert_eq!(json_of(&out)["hide_following"], Value::Bool(false));
    assert_eq!(
        first_page_items(&url).await,
        serde_json::json!([band.as_str()])
    );
    a.stop().await;
    b.stop().await;
}

async fn first_page_items(url: &url::Url) -> Value {
    let page = get_activity_json(format!("{url}?page=1")).await;
    assert_eq!(page["type"], "OrderedCollectionPage", "{page}");
    page["orderedItems"].clone()
}

on_both_backends!(the_following_collection_is_paged_newest_first);

/// 45 accepted follows make three pages of 20, 20 and 5, newest first, linked both ways; a
/// pending follow is not counted, and page 0 is 400.
async fn the_following_collection_is_paged_newest_first(backend: Backend) {
    let (a, _ana) = node_with_admin(backend).await;
    let coop = mutual::content::coops::find(&a.node, "reel").await.unwrap();
    let mut conn = a.node.db.acquire().await.unwrap();
    let target = |i: usize| format!("https://coop{i}.example/actor");
    for i in 0..46 {
        let t = target(i);
        let follow_id = format!("{}/f/{i}", a.base);
        db::follows::upsert_pending(&mut conn, coop.row.id, &t, &follow_id, i as i64)
            .await
            .unwrap();
        if i < 45 {
            let row = db::follows::by_follow_id(&mut conn, &follow_id)
                .await
                .unwrap()
                .unwrap();
            db::follows::set_state(&mut conn, row.id, "accepted")
                .await
                .unwrap();
        }
    }
    drop(conn);

    let url = a.base.join("/coops/reel/following").unwrap();
    let summary = get_activity_json(url.clone()).await;
    assert_eq!(summary["totalItems"], 45, "{summary}");
    assert_eq!(summary["first"], format!("{url}?page=1"));
    assert_eq!(summary["last"], format!("{url}?page=3"));
    assert!(summary.get("orderedItems").is_none(), "{summary}");

    let mut seen = Vec::new();
    for (n, len) in [(1, 20), (2, 20), (3, 5)] {
        let page = get_activity_json(format!("{url}?page={n}")).await;
        assert_eq!(page["partOf"], url.as_str());
        assert_eq!(page["totalItems"], 45);
        let items = page["orderedItems"].as_array().unwrap();
        assert_eq!(items.len(), len, "page {n}: {page}");
        assert_eq!(page.get("prev").is_some(), n > 1, "page {n}: {page}");
        assert_eq!(page.get("next").is_some(), n < 3, "page {n}: {page}");
        seen.extend(items.iter().map(|v| v.as_str().unwrap().to_string()));
    }
    let newest_first: Vec<String> = (0..45).rev().map(target).collect();
    assert_eq!(seen, newest_first);

    let zero = http()
        .get(format!("{url}?page=0"))
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert_eq!(zero.status(), 400);
    a.stop().await;
}
