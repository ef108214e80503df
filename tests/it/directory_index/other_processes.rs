//! Browsing keeps every listed co-op's facets in memory (the catalogue). Each process has
//! its own; a change made by any process must show on every process's next browse.

use mutual::app::Node;

use super::*;

on_both_backends!(another_process_sees_every_change_on_its_next_browse,);

async fn another_process_sees_every_change_on_its_next_browse(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    movement(&dir).await;
    // A second process on the same database (a `serve` beside the first), with its own
    // catalogue, loaded by its first browse.
    let other = Node::open(dir.node.config.clone()).await.unwrap();
    let all = BrowseQuery::default();
    let page = index::browse(&other, &all).await.unwrap();
    assert_eq!(page.total, 4);
    assert_eq!(
        counts(&page.facets.nations),
        [("england", 2), ("scotland", 1), ("wales", 1)]
    );

    // Changes through the first process: a move, a rename and a new sector; a delisting;
    // a new listing; a story that makes a co-op the most recently active.
    let mut r = row("glasgow-sound", "Aberystwyth Sound");
    r.summary = "<p>A recording studio owned by its workers.</p>".into();
    r.nation = Some("wales".into());
    r.locality = Some("Aberystwyth".into());
    r.membership_type = Some("workers".into());
    r.legal_form = Some("society".into());
    save(&dir, &r, &["music", "film"]).await;
    let mut conn = dir.node.db.acquire().await.unwrap();
    assert!(
        listings::delist(&mut conn, &actor("lens"), "test")
            .await
            .unwrap()
    );
    drop(conn);
    let mut r = row("belfast-print", "Belfast Print Co-op");
    r.nation = Some("northern-ireland".into());
    r.legal_form = Some("cic".into());
    save(&dir, &r, &["publishing"]).await;
    story(&dir, "tyne-stage", 7, "news", "Season", "<p>New plays.</p>").await;

    let expected_names = [
        "Aberystwyth Sound",
        "Belfast Print Co-op",
        "Reel Cymru Film Co-op",
        "Tyne Stage",
    ];
    for node in [&other, &dir.node] {
        let page = index::browse(node, &all).await.unwrap();
        assert_eq!(names(&page), expected_names);
        assert_eq!(page.total, 4);
        assert_eq!(
            counts(&page.facets.nations),
            [("wales", 2), ("england", 1), ("northern-ireland", 1)]
        );
        assert_eq!(
            counts(&page.facets.sectors),
            [
                ("film", 2),
                ("festivals", 1),
                ("music", 1),
                ("publishing", 1),
                ("theatre", 1)
            ]
        );
        assert_eq!(
            counts(&page.facets.legal_forms),
            [("society", 3), ("cic", 1)]
        );

        let active = BrowseQuery {
            sort: Sort::Active,
            ..Default::default()
        };
        let page = index::browse(node, &active).await.unwrap();
        assert_eq!(
            names(&page),
            [
                "Tyne Stage",
                "Aberystwyth Sound",
                "Belfast Print Co-op",
                "Reel Cymru Film Co-op"
            ]
        );

        // The delisted co-op is gone from search too; the moved one is found by its new town.
        let page = index::browse(node, &query(&[("q", "film")])).await.unwrap();
        assert_eq!(names(&page), ["Reel Cymru Film Co-op", "Tyne Stage"]);
        assert_eq!(
            counts(&page.facets.sectors),
            [("festivals", 1), ("film", 1), ("theatre", 1)]
        );
        let page = index::browse(node, &query(&[("q", "film"), ("sector", "film")]))
            .await
            .unwrap();
        assert_eq!(names(&page), ["Reel Cymru Film Co-op"]);
        let page = index::browse(node, &query(&[("q", "aberystwyth"), ("nation", "wales")]))
            .await
            .unwrap();
        assert_eq!(names(&page), ["Aberystwyth Sound"]);
        let page = index::browse(node, &query(&[("nation", "scotland")]))
            .await
            .unwrap();
        assert_eq!(page.total, 0);
        assert!(page.items.is_empty());
    }
}
