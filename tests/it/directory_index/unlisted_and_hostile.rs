//! Unlisted co-ops never show anywhere; hostile HTML comes out inert everywhere.

use super::*;

on_both_backends!(
    unlisted_coops_never_appear_in_pages_api_exports_murmurations_or_search,
    hostile_html_comes_out_inert_on_every_page_and_in_the_api,
);

/// Every place a listing can show up, as (path, body).
async fn everywhere(dir: &TestNode, keys: &[String]) -> Vec<(String, u16, String)> {
    // The language switcher links back to the page itself, whatever its path.
    let switcher = regex::Regex::new(r#"href="/language\?[^"]*""#).unwrap();
    let mut paths: Vec<String> = [
        "/directory",
        "/directory/browse",
        "/directory/browse?q=ghost",
        "/directory/browse?sector=film",
        "/directory/stories",
        "/directory/stories?kind=news",
        "/api/v1/directory/coops",
        "/api/v1/directory/coops?q=ghost",
        "/api/v1/directory/stories",
        "/directory/export/coops.csv",
        "/directory/export/coops.json",
    ]
    .iter()
    .map(|p| p.to_string())
    .collect();
    for key in keys {
        let key = urlencode(key);
        paths.push(format!("/directory/coops/{key}"));
        paths.push(format!("/api/v1/directory/coops/{key}"));
        paths.push(format!("/directory/murmurations/{key}.json"));
    }
    let mut out = Vec::new();
    for p in paths {
        let (status, _, body) = get(dir, &p).await;
        let body = switcher.replace_all(&body, "").into_owned();
        out.push((p, status, body));
    }
    out
}

async fn unlisted_coops_never_appear_in_pages_api_exports_murmurations_or_search(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    movement(&dir).await;
    for (slug, state) in [("ghost-hidden", "hidden"), ("ghost-invited", "invited")] {
        let mut r = row(slug, &format!("Ghost {state} Film Co-op"));
        r.state = state.into();
        r.nation = Some("wales".into());
        r.summary = "<p>Ghost film makers.</p>".into();
        save(&dir, &r, &["film"]).await;
        story(&dir, slug, 1, "news", "Ghost news", "<p>Ghost story</p>").await;
    }
    // A listed co-op that then leaves.
    let mut r = row("ghost-delisted", "Ghost delisted Film Co-op");
    r.nation = Some("wales".into());
    r.summary = "<p>Ghost film makers.</p>".into();
    save(&dir, &r, &["film"]).await;
    story(
        &dir,
        "ghost-delisted",
        1,
        "news",
        "Ghost news",
        "<p>Ghost story</p>",
    )
    .await;

    let keys: Vec<String> = ["ghost-hidden", "ghost-invited", "ghost-delisted"]
        .iter()
        .flat_map(|s| [format!("{s}@{HOST}"), format!("@{s}@{HOST}"), actor(s)])
        .collect();
    // Before it leaves, the delisted one is visible (so the checks below can see it).
    let seen = everywhere(&dir, &keys).await;
    assert!(
        seen.iter()
            .any(|(p, s, b)| p == "/directory/browse" && *s == 200 && b.contains("Ghost delisted")),
        "the listed co-op shows before it leaves"
    );
    assert_eq!(
        get(&dir, &format!("/directory/coops/ghost-delisted@{HOST}"))
            .await
            .0,
        200
    );

    let mut conn = dir.node.db.acquire().await.unwrap();
    assert!(
        listings::delist(&mut conn, &actor("ghost-delisted"), "undo")
            .await
            .unwrap()
    );
    drop(conn);

    for (path, status, body) in everywhere(&dir, &keys).await {
        assert!(
            !body.contains("Ghost"),
            "{path} shows an unlisted co-op: {body}"
        );
        assert!(
            !body.contains("ghost-"),
            "{path} shows an unlisted co-op: {body}"
        );
        if path.contains("/coops/") || path.contains("/murmurations/") {
            assert_eq!(status, 404, "{path}");
        } else {
            assert_eq!(status, 200, "{path}: {body}");
        }
    }
    let ghost = browse(&dir, &query(&[("q", "ghost")])).await;
    assert_eq!(ghost.total, 0);
    let wales = browse(&dir, &query(&[("nation", "wales")])).await;
    assert_eq!(names(&wales), ["Reel Cymru Film Co-op"]);
    assert_eq!(counts(&wales.facets.sectors), [("film", 1)]);
    assert_eq!(
        browse(&dir, &BrowseQuery::default()).await.facets.nations[2],
        ("wales".to_string(), 1)
    );
    assert_eq!(index::count_listed(&dir.node).await.unwrap(), 4);
    let (stories, total) = index::latest_stories(&dir.node, &index::StoryFilter::default(), 1, 100)
        .await
        .unwrap();
    assert_eq!(total, 1, "only Glasgow Sound's story");
    assert_eq!(stories[0].1.row.name, "Glasgow Sound");
    assert!(
        index::stories_of(&dir.node, &actor("ghost-hidden"), 10)
            .await
            .unwrap()
            .is_empty()
    );
    for key in &keys {
        assert!(index::listing(&dir.node, key).await.is_err(), "{key}");
    }
    dir.stop().await;
}

/// Fails if `text` holds live markup: a script element, an event-handler attribute, a
/// `javascript:` link or an image.
fn assert_inert(what: &str, text: &str) {
    let live = [
        r"(?i)<\s*script",
        r"(?i)<[a-z][^>]*\son[a-z]+\s*=",
        r#"(?i)(href|src)\s*=\s*["']?\s*javascript:"#,
        r"(?i)<\s*img",
    ];
    for pattern in live {
        let re = Regex::new(pattern).unwrap();
        assert!(!re.is_match(text), "{what} matches {pattern}: {text}");
    }
}

async fn hostile_html_comes_out_inert_on_every_page_and_in_the_api(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    let mut r = row("evil", "Evil <script>alert(1)</script> Co-op");
    r.summary = r#"<p>Hello<img src="x" onerror="alert(2)"><script>alert(3)</script> <a href="javascript:alert(4)">click</a> <b onmouseover="alert(13)">bold</b></p>"#.into();
    r.website = Some("javascript:alert(5)".into());
    r.url = Some("javascript:alert(6)".into());
    r.locality = Some("<img src=x onerror=alert(7)>".into());
    r.registered_number = Some("\"><script>alert(14)</script>".into());
    r.nation = Some("england".into());
    save(&dir, &r, &["design"]).await;
    story(
        &dir,
        "evil",
        1,
        "news",
        "<script>alert(8)</script>Headline",
        r#"<p onclick="alert(9)">Story<script>alert(10)</script><img src=x onerror=alert(11)></p>"#,
    )
    .await;
    let keys = vec![format!("evil@{HOST}")];
    for (path, status, body) in everywhere(&dir, &keys).await {
        assert_eq!(status, 200, "{path}: {body}");
        if path.ends_with(".csv") {
            // CSV is data, not a page: names are plain text there, served as text/csv
            // and never sniffed; the HTML summary is not a column.
            let (_, headers, _) = get(&dir, &path).await;
            assert!(
                headers[CONTENT_TYPE]
                    .to_str()
                    .unwrap()
                    .starts_with("text/csv")
            );
            assert_eq!(headers["x-content-type-options"], "nosniff");
            assert!(
                !body.contains("Hello") && !body.contains("javascript"),
                "{body}"
            );
            continue;
        }
        assert_inert(&path, &body);
        if path.contains("/api/") || path.ends_with(".json") {
            // JSON never carries raw markup characters, and decodes to sanitised HTML.
            assert!(!body.contains('<') && !body.contains('>'), "{path}: {body}");
            let v: Value = serde_json::from_str(&body).unwrap();
            for html in [
                &v["summary"],
                &v["items"][0]["summary"],
                &v["items"][0]["content"],
                &v["stories"][0]["content"],
            ] {
                if let Some(html) = html.as_str() {
                    assert_inert(&path, html);
                }
            }
            for link in [&v["website"], &v["url"], &v["items"][0]["website"]] {
                assert!(
                    link.is_null() || !link.to_string().contains("javascript"),
                    "{path}"
                );
            }
        }
    }
    let (_, _, page) = get(&dir, &format!("/directory/coops/evil@{HOST}")).await;
    assert!(
        page.contains("Evil &#60;script&#62;alert(1)&#60;/script&#62; Co-op"),
        "{page}"
    );
    assert!(
        page.contains("<p>Hello"),
        "the harmless HTML survives: {page}"
    );
    assert!(
        !page.contains("alert(3)"),
        "script content is dropped: {page}"
    );
    // Filter values are echoed escaped in the error page.
    let (status, _, body) = get(
        &dir,
        "/directory/browse?nation=%3Cscript%3Ealert(1)%3C/script%3E",
    )
    .await;
    assert_eq!(status, 422);
    assert_inert("error page", &body);
    dir.stop().await;
}
