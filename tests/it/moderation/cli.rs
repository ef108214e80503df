//! `mutual block …` and `mutual reports list`: what they print, and that each refusal is
//! one line on stderr with exit code 1.

use crate::helpers::cli::{json_of, mutual as run};

fn mutual(db_url: &str, args: &[&str]) -> std::process::Output {
    run(db_url, "http://localhost:9999", &[], args)
}

/// The command failed with exit code 1 and one stderr line that mentions `why`.
fn assert_refused(out: &std::process::Output, why: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    assert!(
        stderr.starts_with("error: ") && stderr.contains(why),
        "{stderr}"
    );
}

#[test]
fn block_commands_list_what_they_did_and_refuse_bad_input_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/cli.db", dir.path().display());

    let added = json_of(&mutual(
        &db,
        &["--json", "block", "domain", "add", "Spam.Example"],
    ));
    assert_eq!(added["domain"], "spam.example");
    assert_eq!(added["purged"]["actors"], 0);
    let listed = json_of(&mutual(&db, &["--json", "block", "domain", "list"]));
    assert_eq!(listed["domains"][0]["domain"], "spam.example");
    assert_refused(
        &mutual(&db, &["block", "domain", "add", "spam.example"]),
        "already blocked",
    );
    assert_refused(
        &mutual(&db, &["block", "domain", "add", "not a host"]),
        "domain",
    );
    assert_refused(
        &mutual(&db, &["block", "domain", "add", "localhost:9999"]),
        "this node",
    );
    assert_refused(
        &mutual(&db, &["block", "domain", "remove", "other.example"]),
        "not blocked",
    );
    let text = mutual(&db, &["block", "domain", "remove", "spam.example"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("unblocked spam.example"));

    let created = mutual(
        &db,
        &[
            "coop", "create", "reel", "--name", "Reel", "--nation", "wales", "--sector", "film",
        ],
    );
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    // Nothing listens on port 1: the actor's document cannot be fetched, the block stands.
    let target = "http://localhost:1/users/spammer";
    let added = json_of(&mutual(
        &db,
        &["--json", "block", "actor", "add", "--coop", "reel", target],
    ));
    assert_eq!(added["actor"], target);
    let listed = json_of(&mutual(
        &db,
        &["--json", "block", "actor", "list", "--coop", "reel"],
    ));
    assert_eq!(listed["actors"][0]["actor"], target);
    assert_refused(
        &mutual(&db, &["block", "actor", "add", "--coop", "reel", target]),
        "already blocked",
    );
    assert_refused(
        &mutual(&db, &["block", "actor", "add", "--coop", "nosuch", target]),
        "nosuch",
    );
    assert_refused(
        &mutual(&db, &["block", "actor", "add", "--coop", "reel", "spammer"]),
        "target",
    );
    assert_refused(
        &mutual(
            &db,
            &[
                "block",
                "actor",
                "add",
                "--coop",
                "reel",
                "http://localhost:9999/coops/reel",
            ],
        ),
        "itself",
    );
    mutual(&db, &["block", "actor", "remove", "--coop", "reel", target]);
    assert_refused(
        &mutual(&db, &["block", "actor", "remove", "--coop", "reel", target]),
        "has not blocked",
    );

    let reports = json_of(&mutual(&db, &["--json", "reports", "list"]));
    assert_eq!(reports["reports"], serde_json::json!([]));
    assert_refused(&mutual(&db, &["reports", "list", "--limit", "0"]), "limit");
}
