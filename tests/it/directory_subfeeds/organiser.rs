//! The organiser creates and lists sub-feeds on `/organise` and with
//! `mutual directory subfeed`.

use reqwest::StatusCode;

use crate::helpers::browser::Browser;
use crate::helpers::cli::{self, json_of};
use crate::helpers::{Backend, TestNode, count, get_activity_json};

on_both_backends!(
    the_organiser_creates_subfeeds_on_the_organise_page,
    the_organiser_creates_and_lists_subfeeds_from_the_cli,
);

async fn the_organiser_creates_subfeeds_on_the_organise_page(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    let mut boss = Browser::node_admin(&dir).await;
    let page = boss.get("/organise").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains(r#"<option value="film">Film</option>"#));

    let sector = [("facet", "sector"), ("value", "film")];
    let page = boss.submit("/organise", "/organise/subfeed", &sector).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let handle = format!("@film@{}", dir.domain());
    assert!(
        page.body.contains(&format!("Created {handle}")),
        "{}",
        page.body
    );
    let page = boss.get("/organise").await;
    assert!(page.body.contains(&handle), "{}", page.body);
    assert!(
        page.body
            .contains(&format!("<td>{handle}</td><td>Sector: Film</td><td>0</td>")),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains(r#"<option value="film">"#),
        "no second film sub-feed"
    );
    let nation = [("facet", "nation"), ("value", "wales")];
    let page = boss.submit("/organise", "/organise/subfeed", &nation).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(
        get_activity_json(dir.actor("wales")).await["type"],
        "Service"
    );

    let page = boss.submit("/organise", "/organise/subfeed", &sector).await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.body);
    let bad = [("facet", "sector"), ("value", "opera")];
    let page = boss.submit("/organise", "/organise/subfeed", &bad).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let forged = [("facet", "sector"), ("value", "music")];
    let page = boss.post("/organise/subfeed", &forged).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "no CSRF token");
    assert_eq!(count(&dir, "SELECT COUNT(*) FROM subfeeds").await, 2);
    dir.stop().await;
}

/// Asserts a command failed with exit 1 and one line on stderr containing `needle`.
fn fails_with(out: &std::process::Output, needle: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains(needle), "{stderr}");
}

async fn the_organiser_creates_and_lists_subfeeds_from_the_cli(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    let create = [
        "--json",
        "directory",
        "subfeed",
        "create",
        "--sector",
        "film",
    ];
    let created = json_of(&cli::mutual_on(&dir, true, &create).await);
    assert_eq!(created["handle"], "film");
    assert_eq!(created["facet"], "sector");
    assert_eq!(created["id"], dir.actor("film").as_str());
    let text = cli::mutual_on(
        &dir,
        true,
        &["directory", "subfeed", "create", "--nation", "scotland"],
    )
    .await;
    assert!(text.status.success());
    assert!(
        String::from_utf8_lossy(&text.stdout)
            .starts_with(&format!("created @scotland@{}", dir.domain()))
    );
    assert_eq!(
        get_activity_json(dir.actor("film")).await["type"],
        "Service"
    );

    fails_with(
        &cli::mutual_on(&dir, true, &create[1..]).await,
        "@film already exists",
    );
    let opera = ["directory", "subfeed", "create", "--sector", "opera"];
    fails_with(&cli::mutual_on(&dir, true, &opera).await, "sector: 'opera'");
    let both = [
        "directory",
        "subfeed",
        "create",
        "--sector",
        "music",
        "--nation",
        "wales",
    ];
    fails_with(&cli::mutual_on(&dir, true, &both).await, "exactly one of");
    let neither = ["directory", "subfeed", "create"];
    fails_with(
        &cli::mutual_on(&dir, true, &neither).await,
        "exactly one of",
    );

    let list =
        json_of(&cli::mutual_on(&dir, true, &["--json", "directory", "subfeed", "list"]).await);
    let handles: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["handle"].as_str().unwrap())
        .collect();
    assert_eq!(handles, ["film", "scotland"], "sectors first");
    assert_eq!(list[0]["followers"], 0);
    assert_eq!(list[1]["facet"], "nation");
    let text = cli::mutual_on(&dir, true, &["directory", "subfeed", "list"]).await;
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(stdout.contains(&format!("@film@{}\tsector film\t0 followers", dir.domain())));

    let plain = TestNode::spawn(backend).await;
    let elsewhere = cli::mutual_on(&plain, false, &["directory", "subfeed", "list"]).await;
    fails_with(&elsewhere, "does not run a directory");
    dir.stop().await;
    plain.stop().await;
}
