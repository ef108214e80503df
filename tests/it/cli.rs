//! The `mutual` binary: JSON output, one-line errors that store nothing, and a story
//! published by the CLI while `serve` runs reaching a follower on another node.

use std::process::Output;

use mutual::content::follows;
use serde_json::Value;

use crate::helpers::{Backend, TestNode, accepted_follow, post_from};

on_both_backends!(a_story_published_from_the_cli_while_serve_runs_reaches_a_follower);

fn mutual(db_url: &str, public_url: &str, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_mutual"))
        .args(args)
        .env("MUTUAL_DATABASE_URL", db_url)
        .env("MUTUAL_PUBLIC_URL", public_url)
        .env("MUTUAL_ALLOW_PRIVATE_NETWORKS", "true")
        .env_remove("MUTUAL_LOG")
        .output()
        .unwrap()
}

fn json_of(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON object ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
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
fn bad_cli_input_exits_non_zero_with_a_one_line_reason_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/cli.db", dir.path().display());
    let url = "http://localhost:9999";
    let base = ["coop", "create"];
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "Blake", "--name", "X", "--nation", "england", "--sector", "film",
            ],
            "handle",
        ),
        (
            vec![
                "this-handle-is-far-too-long-to-be-used",
                "--name",
                "X",
                "--nation",
                "england",
                "--sector",
                "film",
            ],
            "handle",
        ),
        (
            vec![
                "directory",
                "--name",
                "X",
                "--nation",
                "england",
                "--sector",
                "film",
            ],
            "reserved",
        ),
        (
            vec![
                "scotland", "--name", "X", "--nation", "england", "--sector", "film",
            ],
            "reserved",
        ),
        (
            vec![
                "ok", "--name", "X", "--nation", "france", "--sector", "film",
            ],
            "nation: 'france' is not one of england, scotland, wales, northern-ireland",
        ),
        (
            vec![
                "ok", "--name", "X", "--nation", "england", "--sector", "opera",
            ],
            "sector: 'opera' is not one of",
        ),
        (vec!["ok", "--name", "X", "--nation", "england"], "sector"),
        (
            vec!["ok", "--nation", "england", "--sector", "film"],
            "name",
        ),
        (
            vec![
                "ok", "--name", "X", "--nation", "wales", "--region", "london", "--sector", "film",
            ],
            "region",
        ),
        (
            vec![
                "ok", "--name", "X", "--nation", "england", "--region", "mercia", "--sector",
                "film",
            ],
            "region: 'mercia'",
        ),
        (
            vec![
                "ok",
                "--name",
                "X",
                "--nation",
                "england",
                "--sector",
                "film",
                "--legal-form",
                "plc",
            ],
            "legal-form",
        ),
        (
            vec![
                "ok",
                "--name",
                "X",
                "--nation",
                "england",
                "--sector",
                "film",
                "--membership-type",
                "shareholders",
            ],
            "membership-type",
        ),
        (
            vec![
                "ok",
                "--name",
                "X",
                "--nation",
                "england",
                "--sector",
                "film",
                "--founded",
                "3000",
            ],
            "founded",
        ),
        (
            vec![
                "ok",
                "--name",
                "X",
                "--nation",
                "england",
                "--sector",
                "film",
                "--members",
                "0",
            ],
            "members",
        ),
        (
            vec![
                "ok",
                "--name",
                "X",
                "--nation",
                "england",
                "--sector",
                "film",
                "--website",
                "ftp://x.example",
            ],
            "website",
        ),
        (
            vec![
                "ok",
                "--name",
                "X",
                "--nation",
                "england",
                "--sector",
                "film",
                "--latitude",
                "51.5",
            ],
            "latitude",
        ),
        (
            vec![
                "ok",
                "--name",
                "X",
                "--nation",
                "england",
                "--sector",
                "film",
                "--latitude",
                "40.7",
                "--longitude",
                "-74.0",
            ],
            "latitude",
        ),
    ];
    for (args, expected) in cases {
        let all: Vec<&str> = base.iter().copied().chain(args.iter().copied()).collect();
        let out = mutual(&db, url, &all);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{all:?} should fail");
        assert!(
            out.stdout.is_empty(),
            "{all:?} wrote to stdout: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert_eq!(
            stderr.trim_end().lines().count(),
            1,
            "{all:?}: one line expected, got: {stderr}"
        );
        assert!(
            stderr.starts_with("error: ") && stderr.contains(expected),
            "{all:?}: {stderr}"
        );
    }
    let listed = json_of(&mutual(&db, url, &["--json", "coop", "list"]));
    assert_eq!(listed["coops"], serde_json::json!([]), "nothing was stored");

    // Stories: bad input on an existing co-op stores nothing either.
    json_of(&mutual(
        &db,
        url,
        &[
            "--json", "coop", "create", "ok", "--name", "X", "--nation", "england", "--sector",
            "film",
        ],
    ));
    for (args, expected) in [
        (
            vec![
                "story", "publish", "--coop", "ok", "--title", "", "--body", "b",
            ],
            "title",
        ),
        (
            vec![
                "story", "publish", "--coop", "ok", "--title", "t", "--body", "  ",
            ],
            "body",
        ),
        (
            vec![
                "story",
                "publish",
                "--coop",
                "ok",
                "--title",
                "t",
                "--body",
                "b",
                "--tag",
                "two words",
            ],
            "tag",
        ),
        (
            vec![
                "story", "publish", "--coop", "nobody", "--title", "t", "--body", "b",
            ],
            "no co-op 'nobody'",
        ),
        (
            vec![
                "story",
                "publish",
                "--coop",
                "ok",
                "--title",
                "t",
                "--body-file",
                "/nonexistent/story.md",
            ],
            "body-file",
        ),
        (vec!["story", "delete", "no-such-story"], "no story"),
    ] {
        let out = mutual(&db, url, &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success() && out.stdout.is_empty(), "{args:?}");
        assert!(
            stderr.starts_with("error: ") && stderr.contains(expected),
            "{args:?}: {stderr}"
        );
    }
    let stories = json_of(&mutual(
        &db,
        url,
        &["--json", "story", "list", "--coop", "ok"],
    ));
    assert_eq!(stories["stories"], serde_json::json!([]));
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
            ],
        )
    })
    .await
    .unwrap();
    let published = json_of(&out);
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
