//! Facets and search: exact matches per facet, ranked and stemmed search, no search syntax.

use super::*;

on_both_backends!(
    facets_and_search_return_exactly_the_right_coops,
    search_is_ranked_stemmed_and_never_search_syntax,
);

async fn facets_and_search_return_exactly_the_right_coops(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    movement(&dir).await;

    let all = browse(&dir, &BrowseQuery::default()).await;
    assert_eq!(all.total, 4);
    assert_eq!(
        names(&all),
        [
            "Glasgow Sound",
            "Lens Collective",
            "Reel Cymru Film Co-op",
            "Tyne Stage"
        ]
    );
    assert_eq!(
        counts(&all.facets.nations),
        [("england", 2), ("scotland", 1), ("wales", 1)]
    );
    assert_eq!(
        counts(&all.facets.regions),
        [("london", 1), ("north-east", 1)]
    );
    assert_eq!(
        counts(&all.facets.sectors),
        [
            ("film", 2),
            ("festivals", 1),
            ("music", 1),
            ("photography", 1),
            ("theatre", 1)
        ]
    );
    assert_eq!(
        counts(&all.facets.membership_types),
        [("workers", 2), ("community", 1), ("freelancers", 1)]
    );
    assert_eq!(
        counts(&all.facets.legal_forms),
        [("society", 3), ("cic", 1)]
    );
    assert_eq!(index::count_listed(&dir.node).await.unwrap(), 4);

    let cases: &[(Filters, &[&str])] = &[
        (&[("nation", "wales")], &["Reel Cymru Film Co-op"]),
        (&[("region", "london")], &["Lens Collective"]),
        (
            &[("sector", "film")],
            &["Lens Collective", "Reel Cymru Film Co-op"],
        ),
        (
            &[("nation", "england"), ("sector", "film")],
            &["Lens Collective"],
        ),
        (
            &[("membership_type", "workers"), ("legal_form", "society")],
            &["Glasgow Sound", "Reel Cymru Film Co-op"],
        ),
        (
            &[
                ("q", "theatre"),
                ("nation", "england"),
                ("membership_type", "community"),
            ],
            &["Tyne Stage"],
        ),
        (
            &[
                ("q", "documentary"),
                ("sector", "film"),
                ("legal_form", "society"),
            ],
            &["Reel Cymru Film Co-op"],
        ),
        (
            &[("q", "film"), ("nation", "scotland"), ("sector", "film")],
            &[],
        ),
        (&[("q", "folk")], &["Glasgow Sound"]),
        (&[("q", "Cardiff")], &["Reel Cymru Film Co-op"]),
        (&[("q", "NEWCASTLE")], &["Tyne Stage"]),
        (&[("q", "film photography")], &["Lens Collective"]),
        (
            &[("nation", "Wales"), ("sector", " FILM ")],
            &["Reel Cymru Film Co-op"],
        ),
    ];
    for (filters, expected) in cases {
        let page = browse(&dir, &query(filters)).await;
        let mut got = names(&page);
        got.sort();
        assert_eq!(got, *expected, "{filters:?}");
        assert_eq!(page.total, expected.len() as i64, "{filters:?}");
    }

    // Each facet counts with the other facets applied, not its own.
    let page = browse(&dir, &query(&[("nation", "england"), ("sector", "film")])).await;
    assert_eq!(counts(&page.facets.nations), [("england", 1), ("wales", 1)]);
    assert_eq!(
        counts(&page.facets.sectors),
        [
            ("festivals", 1),
            ("film", 1),
            ("photography", 1),
            ("theatre", 1)
        ]
    );
    assert_eq!(counts(&page.facets.legal_forms), [("cic", 1)]);

    // The JSON API answers the same question the same way.
    let v = get_json(&dir, "/api/v1/directory/coops?nation=england&sector=film").await;
    assert_eq!(item_names(&v), ["Lens Collective"]);
    assert_eq!(v["total"], 1);
    assert_eq!(
        v["facets"]["nation"],
        serde_json::json!([
            { "value": "england", "label": "England", "count": 1 },
            { "value": "wales", "label": "Wales", "count": 1 }
        ])
    );
    let v = get_json(
        &dir,
        "/api/v1/directory/coops?q=documentary&sector=film&legal_form=society",
    )
    .await;
    assert_eq!(item_names(&v), ["Reel Cymru Film Co-op"]);

    // And so does the HTML page, with facet links that keep the other filters.
    let (status, _, body) = get(&dir, "/directory/browse?sector=film").await;
    assert_eq!(status, 200);
    assert!(body.contains("Lens Collective") && body.contains("Reel Cymru Film Co-op"));
    assert!(!body.contains("Glasgow Sound") && !body.contains("Tyne Stage"));
    assert!(
        body.contains(r#"<a href="/directory/browse?nation=wales&#38;sector=film">Wales</a> <span class="count">(1)</span>"#),
        "{body}"
    );
    assert!(
        body.contains(
            r#"<strong aria-current="true">Film</strong> <span class="count">(2)</span>"#
        ),
        "{body}"
    );
    dir.stop().await;
}

async fn search_is_ranked_stemmed_and_never_search_syntax(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    movement(&dir).await;

    let page = browse(&dir, &query(&[("q", "film")])).await;
    let got = names(&page);
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(
        got[0], "Reel Cymru Film Co-op",
        "the best match comes first: {got:?}"
    );
    let pos = |name: &str| got.iter().position(|n| n == name).unwrap();
    assert!(pos("Reel Cymru Film Co-op") < pos("Tyne Stage"));

    // Stemming: "films" finds "film", "recording" finds "recordings".
    let stemmed = browse(&dir, &query(&[("q", "films")])).await;
    let mut a = names(&stemmed);
    let mut b = got.clone();
    a.sort();
    b.sort();
    assert_eq!(a, b);
    assert_eq!(
        names(&browse(&dir, &query(&[("q", "recording")])).await),
        ["Glasgow Sound"]
    );

    // User text is words, never query syntax: none of these is an error.
    for hostile in [
        "\"film",
        "film\" OR \"music",
        "NEAR(film music)",
        "film*",
        "body:film",
        "-film",
        "film AND",
        "(",
        "'; DROP TABLE listings; --",
        "^film",
        "film & | ! music",
        "🎬 film",
    ] {
        let page = index::browse(&dir.node, &query(&[("q", hostile)])).await;
        assert!(page.is_ok(), "{hostile}: {:?}", page.err());
        let (status, _, body) = get(
            &dir,
            &format!("/api/v1/directory/coops?q={}", urlencode(hostile)),
        )
        .await;
        assert_eq!(status, 200, "{hostile}: {body}");
    }
    assert_eq!(
        names(&browse(&dir, &query(&[("q", "\"film")])).await).len(),
        3
    );
    assert_eq!(index::count_listed(&dir.node).await.unwrap(), 4);
    // Only punctuation (or only stop words) is no search at all.
    assert_eq!(browse(&dir, &query(&[("q", "((!")])).await.total, 4);
    dir.stop().await;
}
