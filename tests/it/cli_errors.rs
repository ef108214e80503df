//! The `mutual` binary refuses bad input: a non-zero exit, one line on stderr that says
//! why, and nothing stored.

use crate::helpers::cli::{json_of, mutual as run};

fn mutual(db_url: &str, public_url: &str, args: &[&str]) -> std::process::Output {
    run(db_url, public_url, &[], args)
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
                "--body",
                "b",
                "--language",
                "welsh please",
            ],
            "language: 'welsh please' is not a language tag",
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
