//! `mutual directory add|remove|list|suggestions|boost` against a running directory node.

use std::process::Output;

use serde_json::Value;

use crate::helpers::cli::{self, json_of};
use crate::helpers::directory::{in_state, listing, rich_coop};
use crate::helpers::{Backend, TestNode};

on_both_backends!(the_organiser_runs_the_directory_from_the_cli);

fn mutual(node: &TestNode, directory: bool, args: &[&str]) -> Output {
    let flag = if directory { "true" } else { "false" };
    cli::mutual(
        &node.db.url,
        node.base.as_str(),
        &[("MUTUAL_DIRECTORY", flag)],
        args,
    )
}

async fn the_organiser_runs_the_directory_from_the_cli(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    let a = TestNode::spawn(backend).await;
    rich_coop(&a, "reel", false).await;
    let handle = format!("@reel@{}", a.domain());

    let added =
        json_of(&cli::mutual_on(&dir, true, &["--json", "directory", "add", &handle]).await);
    assert_eq!(added["target"], a.actor("reel").to_string());
    assert_eq!(added["state"], "pending");
    assert!(added["id"].as_str().unwrap().starts_with(dir.base.as_str()));
    in_state(&dir, &a.actor("reel"), "listed").await;

    let listed = json_of(&cli::mutual_on(&dir, true, &["--json", "directory", "list"]).await);
    let items = listed.as_array().expect("one JSON array");
    assert_eq!(items.len(), 1);
    let item = &items[0];
    assert_eq!(item["id"], a.actor("reel").to_string());
    assert_eq!(item["handle"], handle);
    assert_eq!(item["name"], "reel Co-op");
    assert_eq!(item["nation"], "scotland");
    assert_eq!(item["region"], Value::Null);
    assert_eq!(item["sectors"], serde_json::json!(["film", "music"]));
    for key in ["listed_at", "last_seen_at"] {
        let text = item[key].as_str().unwrap();
        assert!(
            chrono::DateTime::parse_from_rfc3339(text).is_ok(),
            "{key}: {text}"
        );
    }
    let filtered = |args: &'static [&'static str]| {
        let mut all = vec!["--json", "directory", "list"];
        all.extend_from_slice(args);
        json_of(&mutual(&dir, true, &all)).as_array().unwrap().len()
    };
    assert_eq!(filtered(&["--sector", "music"]), 1);
    assert_eq!(filtered(&["--nation", "wales"]), 0);
    assert_eq!(
        filtered(&["--q", "films"]),
        1,
        "search finds the summary's word"
    );
    assert_eq!(filtered(&["--q", "pottery"]), 0);
    let bad = mutual(&dir, true, &["directory", "list", "--sector", "opera"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("sector: 'opera'"));

    json_of(
        &cli::mutual_on(
            &dir,
            true,
            &["--json", "directory", "boost", "off", &handle],
        )
        .await,
    );
    assert_eq!(
        listing(&dir, a.actor("reel").as_str())
            .await
            .unwrap()
            .boost_excluded,
        1
    );
    let suggestions =
        json_of(&cli::mutual_on(&dir, true, &["--json", "directory", "suggestions"]).await);
    assert!(suggestions["suggestions"].is_array());

    let removed =
        json_of(&cli::mutual_on(&dir, true, &["--json", "directory", "remove", &handle]).await);
    assert_eq!(removed["state"], "delisted");
    assert_eq!(
        listing(&dir, a.actor("reel").as_str()).await.unwrap().state,
        "delisted"
    );
    assert_eq!(
        json_of(&cli::mutual_on(&dir, true, &["--json", "directory", "list"]).await),
        serde_json::json!([])
    );

    let elsewhere = cli::mutual_on(&a, false, &["directory", "list"]).await;
    assert!(!elsewhere.status.success());
    assert!(String::from_utf8_lossy(&elsewhere.stderr).contains("does not run a directory"));
    dir.stop().await;
    a.stop().await;
}
