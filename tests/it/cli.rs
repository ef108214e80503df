//! The `mutual` binary: JSON output, help for every command, and a story published by the
//! CLI while `serve` runs reaching a follower on another node. (Bad input: cli_errors.rs.)

use std::process::Output;

use mutual::content::follows;

use serde_json::Value;

use crate::helpers::cli::json_of;
use crate::helpers::{Backend, TestNode, accepted_follow, post_from};

on_both_backends!(a_story_published_from_the_cli_while_serve_runs_reaches_a_follower);

fn mutual(db_url: &str, public_url: &str, args: &[&str]) -> Output {
    crate::helpers::cli::mutual(db_url, public_url, &[], args)
}

#[test]
fn coop_create_with_json_prints_id_handle_and_url() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/cli.db", dir.path().display());
    let out = mutual(
        &db,
        "http://localhost:9999",
        &[
            "--json",
            "coop",
            "create",
            "blake-house",
            "--name",
            "Blake House Filmmakers Co-op",
            "--summary",
            "We make *films*.",
            "--nation",
            "england",
            "--region",
            "london",
            "--sector",
            "film",
            "--sector",
            "media",
            "--legal-form",
            "society",
            "--membership-type",
            "workers",
            "--founded",
            "2012",
            "--members",
            "9",
            "--website",
            "https://blakehouse.example",
            "--latitude",
            "51.5461",
            "--longitude",
            "-0.0553",
            "--locality",
            "Hackney",
        ],
    );
    let created = json_of(&out);
    assert_eq!(created["id"], "http://localhost:9999/coops/blake-house");
    assert_eq!(created["handle"], "@blake-house@localhost:9999");
    assert_eq!(created["url"], created["id"]);
    assert_eq!(created.as_object().unwrap().len(), 3, "{created}");

    let shown = json_of(&mutual(
        &db,
        "http://localhost:9999",
        &["--json", "coop", "show", "blake-house"],
    ));
    assert_eq!(shown["sectors"], serde_json::json!(["film", "media"]));
    assert_eq!(shown["latitude"], 51.55, "coordinates are kept coarse");
    assert_eq!(shown["region"], "london");

    let edited = json_of(&mutual(
        &db,
        "http://localhost:9999",
        &[
            "--json",
            "coop",
            "edit",
            "blake-house",
            "--region",
            "",
            "--members",
            "11",
        ],
    ));
    assert_eq!(edited["region"], Value::Null);
    assert_eq!(edited["members"], 11);
    assert_eq!(
        edited["founded"], 2012,
        "fields not named stay as they were"
    );
}

#[test]
fn every_command_has_help() {
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["coop", "create", "--help"],
        vec!["coop", "list", "--help"],
        vec!["coop", "show", "--help"],
        vec!["coop", "edit", "--help"],
        vec!["story", "publish", "--help"],
        vec!["story", "edit", "--help"],
        vec!["story", "delete", "--help"],
        vec!["story", "list", "--help"],
        vec!["follower", "list", "--help"],
        vec!["follower", "approve", "--help"],
        vec!["follower", "reject", "--help"],
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_mutual"))
            .args(&args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Usage"),
            "{args:?}"
        );
    }
}

async fn a_story_published_from_the_cli_while_serve_runs_reaches_a_follower(backend: Backend) {
    let publisher = TestNode::spawn(backend).await;
    let reader = TestNode::spawn(backend).await;
    publisher.coop("press").await;
    reader.coop("reader").await;
    follows::follow(&reader.node, "reader", publisher.actor("press").as_str())
        .await
        .unwrap();
    accepted_follow(&reader, "reader").await;

    let dir = tempfile::tempdir().unwrap();
    let body_file = dir.path().join("story.md");
    std::fs::write(&body_file, "Printed on **recycled** paper.").unwrap();
    let (db, base) = (publisher.db.url.clone(), publisher.base.to_string());
    let body_path = body_file.to_str().unwrap().to_string();
    let out = tokio::task::spawn_blocking(move || {
        mutual(
            &db,
            &base,
            &[
                "--json",
                "story",
                "publish",
                "--coop",
                "press",
                "--title",
                "A new zine",
                "--body-file",
                &body_path,
                "--tag",
                "zines",
                "--language",
                "cy",
            ],
        )
    })
    .await
    .unwrap();
    let published = json_of(&out);
    let note = crate::helpers::get_activity_json(published["id"].as_str().unwrap()).await;
    assert_eq!(note["contentMap"]["cy"], note["content"], "{note}");
    let id = published["id"].as_str().unwrap().to_string();
    assert_eq!(published["url"], published["id"]);

    let post = post_from(
        &reader,
        &publisher.actor("press"),
        "the CLI's story to reach the follower",
        |p| p.is_some(),
    )
    .await
    .unwrap();
    assert_eq!(post.id, id);
    assert!(
        post.content.contains("<strong>recycled</strong>"),
        "{}",
        post.content
    );
    publisher.stop().await;
    reader.stop().await;
}
