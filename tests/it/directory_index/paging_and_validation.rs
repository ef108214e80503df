//! Sorting, paging and totals, and bad filter values refused with a 422.

use super::*;

on_both_backends!(
    sorts_order_by_name_newest_and_recent_activity,
    bad_filter_values_are_refused_with_422_and_the_message,
    pages_and_totals_add_up,
);

async fn sorts_order_by_name_newest_and_recent_activity(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    movement(&dir).await;
    let sorted = |sort: Sort| BrowseQuery {
        sort,
        ..Default::default()
    };
    assert_eq!(
        names(&browse(&dir, &sorted(Sort::Newest)).await),
        [
            "Tyne Stage",
            "Glasgow Sound",
            "Lens Collective",
            "Reel Cymru Film Co-op"
        ]
    );
    // Glasgow posted a story (T0+101), Lens was active at T0+50; the rest never.
    assert_eq!(
        names(&browse(&dir, &sorted(Sort::Active)).await),
        [
            "Glasgow Sound",
            "Lens Collective",
            "Reel Cymru Film Co-op",
            "Tyne Stage"
        ]
    );
    let v = get_json(&dir, "/api/v1/directory/coops?sort=newest&per_page=2").await;
    assert_eq!(item_names(&v), ["Tyne Stage", "Glasgow Sound"]);
    assert_eq!(Sort::parse("active").unwrap(), Sort::Active);
    dir.stop().await;
}

async fn bad_filter_values_are_refused_with_422_and_the_message(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    movement(&dir).await;
    let cases = [
        ("/directory/browse?nation=atlantis", "nation: "),
        ("/directory/browse?region=mars", "region: "),
        ("/directory/browse?sector=opera", "sector: "),
        (
            "/directory/browse?membership_type=robots",
            "membership-type: ",
        ),
        ("/directory/browse?legal_form=plc", "legal-form: "),
        ("/directory/browse?sort=best", "sort: "),
        ("/directory/browse?page=two", "page: "),
        ("/directory/stories?kind=gossip", "kind: "),
    ];
    for (path, field) in cases {
        let (status, headers, body) = get(&dir, path).await;
        assert_eq!(status, 422, "{path}");
        assert!(
            headers[CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        assert!(
            body.contains(field) && body.contains("is not"),
            "{path}: {body}"
        );

        let api = path
            .replace("/directory/stories", "/api/v1/directory/stories")
            .replace("/directory/browse?", "/api/v1/directory/coops?");
        let (status, headers, body) = get(&dir, &api).await;
        assert_eq!(status, 422, "{api}");
        assert_eq!(headers[ACCESS_CONTROL_ALLOW_ORIGIN], "*");
        let v: Value = serde_json::from_str(&body).unwrap();
        let message = v["error"].as_str().unwrap();
        assert!(message.starts_with(field), "{api}: {message}");
    }
    let (_, _, body) = get(&dir, "/api/v1/directory/coops?sector=opera").await;
    let v: Value = serde_json::from_str(&body).unwrap();
    assert!(
        v["error"]
            .as_str()
            .unwrap()
            .starts_with("sector: 'opera' is not one of film, music"),
        "{v}"
    );
    assert_eq!(
        get(&dir, "/directory/export/coops.csv?sector=opera")
            .await
            .0,
        422
    );
    assert_eq!(
        get(&dir, "/directory/export/coops.json?nation=mars")
            .await
            .0,
        422
    );
    let err = index::browse(&dir.node, &query(&[("legal_form", "plc")]))
        .await
        .unwrap_err();
    assert_eq!(err.status().as_u16(), 422);
    for (kind, nation, sector, field) in [
        (Some("gossip"), None, None, "kind:"),
        (None, Some("mars"), None, "nation:"),
        (None, None, Some("opera"), "sector:"),
    ] {
        let err = index::story_filter(kind, nation, sector).unwrap_err();
        assert_eq!(err.status().as_u16(), 422);
        assert!(err.to_string().starts_with(field), "{err}");
    }
    dir.stop().await;
}

async fn pages_and_totals_add_up(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    for n in 1..=25 {
        let mut r = row(&format!("c{n:02}"), &format!("Co-op {n:02}"));
        r.nation = Some("scotland".into());
        save(&dir, &r, &["crafts"]).await;
    }
    for n in 1..=25u32 {
        story(
            &dir,
            "c01",
            n,
            "story",
            &format!("Story {n:02}"),
            "<p>x</p>",
        )
        .await;
    }
    let mut seen: Vec<String> = Vec::new();
    for (page, expected) in [(1, 10), (2, 10), (3, 5), (4, 0)] {
        let p = browse(
            &dir,
            &BrowseQuery {
                page,
                per_page: 10,
                ..Default::default()
            },
        )
        .await;
        assert_eq!(p.total, 25);
        assert_eq!((p.page, p.per_page), (page, 10));
        assert_eq!(p.items.len(), expected, "page {page}");
        seen.extend(names(&p));
    }
    let all: Vec<String> = (1..=25).map(|n| format!("Co-op {n:02}")).collect();
    assert_eq!(seen, all, "pages cover every co-op once, in order");
    let p = browse(&dir, &BrowseQuery::default()).await;
    assert_eq!((p.page, p.per_page, p.items.len()), (1, 20, 20));
    let p = browse(
        &dir,
        &BrowseQuery {
            per_page: 1000,
            ..Default::default()
        },
    )
    .await;
    assert_eq!((p.per_page, p.items.len()), (100, 25));
    assert_eq!(p.facets.nations, [("scotland".to_string(), 25)]);

    let v = get_json(&dir, "/api/v1/directory/coops?page=3&per_page=10").await;
    assert_eq!(
        (
            v["total"].as_i64(),
            v["page"].as_i64(),
            v["per_page"].as_i64()
        ),
        (Some(25), Some(3), Some(10))
    );
    assert_eq!(
        item_names(&v),
        ["Co-op 21", "Co-op 22", "Co-op 23", "Co-op 24", "Co-op 25"]
    );

    let (_, _, body) = get(&dir, "/directory/browse?page=2&per_page=10").await;
    assert!(body.contains("Page 2 of 3"), "{body}");
    assert!(
        body.contains(r#"<a rel="prev" href="/directory/browse?per_page=10">"#),
        "{body}"
    );
    assert!(
        body.contains(r#"<a rel="next" href="/directory/browse?page=3&#38;per_page=10">"#),
        "{body}"
    );
    assert!(body.contains("Co-op 11") && !body.contains("Co-op 10<") && !body.contains("Co-op 21"));

    let (stories, total) = index::latest_stories(&dir.node, &index::StoryFilter::default(), 2, 10)
        .await
        .unwrap();
    assert_eq!(total, 25);
    let titles: Vec<&str> = stories.iter().map(|(s, _)| s.title.as_str()).collect();
    assert_eq!(titles.first(), Some(&"Story 15"), "newest first");
    assert_eq!(titles.len(), 10);
    let v = get_json(&dir, "/api/v1/directory/stories?page=3&per_page=10").await;
    assert_eq!(v["items"].as_array().unwrap().len(), 5);
    assert_eq!(v["total"], 25);
    let (_, _, body) = get(&dir, "/directory/stories?page=2").await;
    assert!(body.contains("Page 2 of 2 · 25 in all"), "{body}");
    dir.stop().await;
}
