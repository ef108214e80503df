//! The HTML pages: the empty directory, a co-op's page, the movement's stories, and 404s
//! on a node without the directory.

use super::*;

on_both_backends!(
    the_coop_page_shows_its_fields_handle_website_last_seen_and_stories,
    stories_are_listed_across_the_movement_by_kind,
    an_empty_directory_explains_how_to_join,
);

async fn an_empty_directory_explains_how_to_join(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    let (status, _, body) = get(&dir, "/directory/browse").await;
    assert_eq!(status, 200);
    let handle = format!("@directory@{}", dir.domain());
    assert!(body.contains("No co-ops are listed here yet."), "{body}");
    assert!(
        body.contains(&format!("mutual follow --coop YOUR-HANDLE {handle}")),
        "{body}"
    );
    assert!(body.contains("ask the organiser"), "{body}");
    let v = get_json(&dir, "/api/v1/directory/coops").await;
    assert_eq!(v["total"], 0);
    assert_eq!(v["items"], serde_json::json!([]));
    let (_, _, csv) = get(&dir, "/directory/export/coops.csv").await;
    assert_eq!(parse_csv(&csv).len(), 1, "just the header");
    assert_eq!(
        get_json(&dir, "/directory/export/coops.json").await,
        serde_json::json!([])
    );
    dir.stop().await;
}

async fn the_coop_page_shows_its_fields_handle_website_last_seen_and_stories(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    movement(&dir).await;
    story(
        &dir,
        "lens",
        7,
        "news",
        "New darkroom",
        "<p>We opened a <strong>darkroom</strong>.</p>",
    )
    .await;
    for key in [
        format!("lens@{HOST}"),
        format!("@lens@{HOST}"),
        urlencode(&actor("lens")),
    ] {
        let (status, _, body) = get(&dir, &format!("/directory/coops/{key}")).await;
        assert_eq!(status, 200, "{key}: {body}");
        for wanted in [
            "<h1>Lens Collective</h1>",
            "@lens@coops.example",
            "<p>Freelance crews for film and photography.</p>",
            r#"<th scope="row">Legal form</th><td>CIC</td>"#,
            r#"<th scope="row">Membership</th><td>Freelancers</td>"#,
            r#"<th scope="row">Sectors</th><td>Film, Photography</td>"#,
            r#"<th scope="row">Region</th><td>London</td>"#,
            r#"<th scope="row">Registered number</th><td>RS123</td>"#,
            r#"<th scope="row">Founded</th><td>2015</td>"#,
            r#"<a rel="nofollow noopener noreferrer" href="https://lens.example/">"#,
            r#"<th scope="row">Last seen</th><td><time datetime="2025-10-09T08:53:20Z">"#,
            "New darkroom",
            "<p>We opened a <strong>darkroom</strong>.</p>",
        ] {
            assert!(body.contains(wanted), "{key}: {wanted} missing from {body}");
        }
    }
    assert_eq!(
        get(&dir, "/directory/coops/nobody@coops.example").await.0,
        404
    );
    assert_eq!(get(&dir, "/directory/coops/not-a-handle").await.0, 404);

    let v = get_json(&dir, &format!("/api/v1/directory/coops/lens@{HOST}")).await;
    assert_eq!(v["id"], actor("lens"));
    assert_eq!(v["handle"], "@lens@coops.example");
    assert_eq!(v["name"], "Lens Collective");
    assert_eq!(
        v["summary"],
        "<p>Freelance crews for film and photography.</p>"
    );
    assert_eq!(v["url"], "https://coops.example/@lens");
    assert_eq!(v["nation"], "england");
    assert_eq!(v["region"], "london");
    assert_eq!(v["sectors"], serde_json::json!(["film", "photography"]));
    assert_eq!(v["locality"], "Hackney");
    assert_eq!(v["membership_type"], "freelancers");
    assert_eq!(v["legal_form"], "cic");
    assert_eq!(v["registrar"], "Companies House");
    assert_eq!(v["registered_number"], "RS123");
    assert_eq!(v["founded"], 2015);
    assert_eq!(v["members"], 12);
    assert_eq!(v["website"], "https://lens.example/");
    assert_eq!(v["listed_at"], "2025-10-09T08:53:20Z");
    assert_eq!(v["last_seen_at"], "2025-10-09T08:53:20Z");
    assert_eq!(v["stories"][0]["title"], "New darkroom");
    assert_eq!(v["stories"][0]["kind"], "news");
    let l = index::listing(&dir.node, &actor("lens")).await.unwrap();
    assert_eq!(l.sectors, ["film", "photography"]);
    dir.stop().await;
}

async fn stories_are_listed_across_the_movement_by_kind(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    movement(&dir).await; // Glasgow Sound has one research story.
    story(&dir, "lens", 2, "news", "New studio opens", "<p>News.</p>").await;
    story(
        &dir,
        "tyne-stage",
        3,
        "event",
        "Open day",
        "<p>Come along.</p>",
    )
    .await;
    story(
        &dir,
        "reel-cymru",
        4,
        "story",
        "How we started",
        "<p>Once.</p>",
    )
    .await;
    // A co-op that is listed but not indexable: its stories stay out of the index.
    let mut r = row("private", "Private Co-op");
    r.indexable = 0;
    save(&dir, &r, &["media"]).await;
    story(&dir, "private", 1, "news", "Secret story", "<p>Shh.</p>").await;

    let (status, _, body) = get(&dir, "/directory/stories?kind=research").await;
    assert_eq!(status, 200);
    assert!(
        body.contains("Folk archive") && body.contains("Glasgow Sound"),
        "{body}"
    );
    assert!(!body.contains("New studio opens") && !body.contains("Open day"));
    assert!(
        body.contains(
            r#"<strong aria-current="true">Research</strong> <span class="count">(1)</span>"#
        ),
        "{body}"
    );

    let (_, _, body) = get(&dir, "/directory/stories").await;
    for title in [
        "Folk archive",
        "New studio opens",
        "Open day",
        "How we started",
    ] {
        assert!(body.contains(title), "{title}: {body}");
    }
    assert!(!body.contains("Secret story"));

    let v = get_json(&dir, "/api/v1/directory/stories?kind=news").await;
    assert_eq!(v["total"], 1);
    assert_eq!(v["items"][0]["title"], "New studio opens");
    assert_eq!(v["items"][0]["coop"]["handle"], "@lens@coops.example");
    assert_eq!(v["items"][0]["url"], "https://coops.example/@lens/2");
    let v = get_json(&dir, "/api/v1/directory/stories").await;
    assert_eq!(v["total"], 4);
    assert_eq!(v["items"][0]["title"], "How we started", "newest first");

    let counts = index::story_kind_counts(&dir.node).await.unwrap();
    assert_eq!(
        counts,
        [
            ("story".to_string(), 1),
            ("research".to_string(), 1),
            ("news".to_string(), 1),
            ("event".to_string(), 1)
        ]
    );
    assert!(
        index::stories_of(&dir.node, &actor("private"), 10)
            .await
            .unwrap()
            .is_empty()
    );
    dir.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn directory_routes_are_404_on_a_node_without_the_directory() {
    let node = TestNode::spawn(Backend::Sqlite).await;
    movement(&node).await;
    for path in [
        "/directory",
        "/directory/browse?q=film",
        "/directory/coops/lens@coops.example",
        "/directory/stories",
        "/directory/stories?kind=news",
        "/directory/export/coops.csv",
        "/directory/export/coops.json",
        "/directory/murmurations/lens@coops.example.json",
        "/api/v1/directory/coops",
        "/api/v1/directory/coops/lens@coops.example",
        "/api/v1/directory/stories",
    ] {
        let (status, _, body) = get(&node, path).await;
        assert_eq!(status, 404, "{path}: {body}");
        assert!(!body.contains("Lens"), "{path}");
    }
    let r = http()
        .request(
            reqwest::Method::OPTIONS,
            node.base.join("/api/v1/directory/coops").unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    node.stop().await;
}
