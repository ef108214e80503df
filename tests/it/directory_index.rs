//! The read side of the directory: browse, facets and search (`directory::index`), the
//! HTML pages, the JSON API, the exports and Murmurations profiles. Listings are seeded
//! straight into a directory node's database with the write side (`db::listings`).

use mutual::db::listings::{self, ListingRow, ListingStoryRow};
use mutual::directory::index::{self, BrowsePage, BrowseQuery, Sort};
use regex::Regex;
use reqwest::header::{
    ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_REQUEST_METHOD,
    CONTENT_TYPE, HeaderMap, ORIGIN,
};
use serde_json::Value;

use crate::helpers::{Backend, TestNode, http};

const HOST: &str = "coops.example";
const T0: i64 = 1_760_000_000_000;

fn actor(slug: &str) -> String {
    format!("https://{HOST}/coops/{slug}")
}

/// A listed, indexable listing with a handle and profile URL.
fn row(slug: &str, name: &str) -> ListingRow {
    ListingRow {
        actor_id: actor(slug),
        state: "listed".into(),
        handle: Some(format!("@{slug}@{HOST}")),
        name: name.into(),
        url: Some(format!("https://{HOST}/@{slug}")),
        indexable: 1,
        boost_allowed: 1,
        listed_at: Some(T0),
        last_seen_at: Some(T0 + 500),
        ..Default::default()
    }
}

async fn save(node: &TestNode, row: &ListingRow, sectors: &[&str]) {
    let sectors: Vec<String> = sectors.iter().map(|s| s.to_string()).collect();
    let mut conn = node.node.db.acquire().await.unwrap();
    listings::save_profile(&mut conn, row, &sectors)
        .await
        .unwrap();
}

async fn story(node: &TestNode, slug: &str, n: u32, kind: &str, title: &str, content: &str) {
    let s = ListingStoryRow {
        id: format!("{}/stories/{n}", actor(slug)),
        actor_id: actor(slug),
        title: title.into(),
        content: content.into(),
        url: Some(format!("https://{HOST}/@{slug}/{n}")),
        kind: kind.into(),
        published_at: T0 + 100 + i64::from(n),
    };
    let mut conn = node.node.db.acquire().await.unwrap();
    listings::put_story(&mut conn, &s).await.unwrap();
}

/// Four listed co-ops across three nations and five sectors.
async fn movement(node: &TestNode) {
    let mut r = row("reel-cymru", "Reel Cymru Film Co-op");
    r.summary = "<p>Film, film and more film: documentary film making.</p>".into();
    r.nation = Some("wales".into());
    r.locality = Some("Cardiff".into());
    r.membership_type = Some("workers".into());
    r.legal_form = Some("society".into());
    r.listed_at = Some(T0 + 1);
    save(node, &r, &["film"]).await;

    let mut r = row("lens", "Lens Collective");
    r.summary = "<p>Freelance crews for film and photography.</p>".into();
    r.nation = Some("england".into());
    r.region = Some("london".into());
    r.locality = Some("Hackney".into());
    r.membership_type = Some("freelancers".into());
    r.legal_form = Some("cic".into());
    r.registrar = Some("Companies House".into());
    r.registered_number = Some("RS123".into());
    r.founded = Some(2015);
    r.members = Some(12);
    r.website = Some("https://lens.example/".into());
    r.listed_at = Some(T0 + 2);
    r.last_active_at = Some(T0 + 50);
    save(node, &r, &["film", "photography"]).await;

    let mut r = row("glasgow-sound", "Glasgow Sound");
    r.summary = "<p>A recording studio owned by its workers.</p>".into();
    r.nation = Some("scotland".into());
    r.locality = Some("Glasgow".into());
    r.membership_type = Some("workers".into());
    r.legal_form = Some("society".into());
    r.listed_at = Some(T0 + 3);
    save(node, &r, &["music"]).await;
    story(
        node,
        "glasgow-sound",
        1,
        "research",
        "Folk archive",
        "<p>Research into Scottish folk recordings.</p>",
    )
    .await;

    let mut r = row("tyne-stage", "Tyne Stage");
    r.summary = "<p>Community theatre in Newcastle upon Tyne, making new plays with local people \
                 every season, touring village halls and schools. Once a year we screen a film.</p>"
        .into();
    r.nation = Some("england".into());
    r.region = Some("north-east".into());
    r.locality = Some("Newcastle".into());
    r.membership_type = Some("community".into());
    r.legal_form = Some("society".into());
    r.listed_at = Some(T0 + 4);
    save(node, &r, &["theatre", "festivals"]).await;
}

/// Filters as (name, value) pairs.
type Filters<'a> = &'a [(&'a str, &'a str)];

fn query(pairs: Filters) -> BrowseQuery {
    let mut q = BrowseQuery::default();
    for (k, v) in pairs {
        let v = Some(v.to_string());
        match *k {
            "q" => q.q = v,
            "nation" => q.nation = v,
            "region" => q.region = v,
            "sector" => q.sector = v,
            "membership_type" => q.membership_type = v,
            "legal_form" => q.legal_form = v,
            other => panic!("unknown filter {other}"),
        }
    }
    q
}

async fn browse(node: &TestNode, q: &BrowseQuery) -> BrowsePage {
    index::browse(&node.node, q).await.unwrap()
}

fn names(page: &BrowsePage) -> Vec<String> {
    page.items.iter().map(|l| l.row.name.clone()).collect()
}

fn counts(list: &[(String, i64)]) -> Vec<(&str, i64)> {
    list.iter().map(|(v, n)| (v.as_str(), *n)).collect()
}

async fn get(node: &TestNode, path: &str) -> (u16, HeaderMap, String) {
    let r = http()
        .get(node.base.join(path).unwrap())
        .header(ORIGIN, "https://elsewhere.example")
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    (status, headers, r.text().await.unwrap())
}

async fn get_json(node: &TestNode, path: &str) -> Value {
    let (status, headers, body) = get(node, path).await;
    assert_eq!(status, 200, "{path}: {body}");
    assert!(
        headers[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json"),
        "{path}"
    );
    serde_json::from_str(&body).unwrap()
}

fn item_names(v: &Value) -> Vec<String> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap().to_string())
        .collect()
}

on_both_backends!(
    facets_and_search_return_exactly_the_right_coops,
    search_is_ranked_stemmed_and_never_search_syntax,
    sorts_order_by_name_newest_and_recent_activity,
    unlisted_coops_never_appear_in_pages_api_exports_murmurations_or_search,
    hostile_html_comes_out_inert_on_every_page_and_in_the_api,
    bad_filter_values_are_refused_with_422_and_the_message,
    pages_and_totals_add_up,
    exports_stream_every_listed_coop_past_one_chunk,
    the_coop_page_shows_its_fields_handle_website_last_seen_and_stories,
    exports_and_murmurations_carry_the_open_data_fields,
    stories_are_listed_across_the_movement_by_kind,
    an_empty_directory_explains_how_to_join,
);

async fn an_empty_directory_explains_how_to_join(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    let (status, _, body) = get(&dir, "/directory").await;
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
    let (status, _, body) = get(&dir, "/directory?sector=film").await;
    assert_eq!(status, 200);
    assert!(body.contains("Lens Collective") && body.contains("Reel Cymru Film Co-op"));
    assert!(!body.contains("Glasgow Sound") && !body.contains("Tyne Stage"));
    assert!(
        body.contains(r#"<a href="/directory?nation=wales&#38;sector=film">Wales</a> (1)"#),
        "{body}"
    );
    assert!(
        body.contains(r#"<strong aria-current="true">Film</strong> (2)"#),
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

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

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

/// Every place a listing can show up, as (path, body).
async fn everywhere(dir: &TestNode, keys: &[String]) -> Vec<(String, u16, String)> {
    let mut paths: Vec<String> = [
        "/directory",
        "/directory?q=ghost",
        "/directory?sector=film",
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
            .any(|(p, s, b)| p == "/directory" && *s == 200 && b.contains("Ghost delisted")),
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
    let (stories, total) = index::latest_stories(&dir.node, None, 1, 100)
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
    let (status, _, body) = get(&dir, "/directory?nation=%3Cscript%3Ealert(1)%3C/script%3E").await;
    assert_eq!(status, 422);
    assert_inert("error page", &body);
    dir.stop().await;
}

async fn bad_filter_values_are_refused_with_422_and_the_message(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    movement(&dir).await;
    let cases = [
        ("/directory?nation=atlantis", "nation: "),
        ("/directory?region=mars", "region: "),
        ("/directory?sector=opera", "sector: "),
        ("/directory?membership_type=robots", "membership-type: "),
        ("/directory?legal_form=plc", "legal-form: "),
        ("/directory?sort=best", "sort: "),
        ("/directory?page=two", "page: "),
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
            .replace("/directory?", "/api/v1/directory/coops?");
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
    assert!(
        index::latest_stories(&dir.node, Some("gossip"), 1, 10)
            .await
            .is_err()
    );
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

    let (_, _, body) = get(&dir, "/directory?page=2&per_page=10").await;
    assert!(body.contains("Page 2 of 3"), "{body}");
    assert!(
        body.contains(r#"<a rel="prev" href="/directory?per_page=10">"#),
        "{body}"
    );
    assert!(
        body.contains(r#"<a rel="next" href="/directory?page=3&#38;per_page=10">"#),
        "{body}"
    );
    assert!(body.contains("Co-op 11") && !body.contains("Co-op 10<") && !body.contains("Co-op 21"));

    let (stories, total) = index::latest_stories(&dir.node, None, 2, 10).await.unwrap();
    assert_eq!(total, 25);
    let titles: Vec<&str> = stories.iter().map(|(s, _)| s.title.as_str()).collect();
    assert_eq!(titles.first(), Some(&"Story 15"), "newest first");
    assert_eq!(titles.len(), 10);
    let v = get_json(&dir, "/api/v1/directory/stories?page=3&per_page=10").await;
    assert_eq!(v["items"].as_array().unwrap().len(), 5);
    assert_eq!(v["total"], 25);
    let (_, _, body) = get(&dir, "/directory/stories?page=2").await;
    assert!(body.contains("Page 2 of 2 (25 in all)"), "{body}");
    dir.stop().await;
}

/// Parses CSV (RFC 4180) into records.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    records
}

async fn exports_stream_every_listed_coop_past_one_chunk(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    let seed = |from: u32, to: u32| {
        let node = dir.node.clone();
        async move {
            let mut tx = node.db.begin().await.unwrap();
            for n in from..=to {
                let r = row(&format!("bulk{n:04}"), &format!("Bulk {n:04}"));
                listings::save_profile(&mut tx, &r, &["media".to_string()])
                    .await
                    .unwrap();
            }
            tx.commit().await.unwrap();
        }
    };
    seed(1, 500).await;
    for expected in [500usize, 501] {
        if expected == 501 {
            seed(501, 501).await;
        }
        let (status, _, csv) = get(&dir, "/directory/export/coops.csv").await;
        assert_eq!(status, 200);
        let records = parse_csv(&csv);
        assert_eq!(records.len(), expected + 1, "header plus every co-op");
        let mut ids: Vec<&str> = records[1..].iter().map(|r| r[11].as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), expected, "no co-op twice");
        let v = get_json(&dir, "/directory/export/coops.json").await;
        assert_eq!(v.as_array().unwrap().len(), expected);
    }
    let v = get_json(&dir, "/directory/export/coops.json?q=Bulk+0042").await;
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["name"], "Bulk 0042");
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

async fn exports_and_murmurations_carry_the_open_data_fields(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    movement(&dir).await;
    let mut r = row("smith", "Smith, \"Jones\" & Co");
    r.registered_number = Some("=1+2".into());
    r.locality = Some("Line one\nline two".into());
    r.nation = Some("northern-ireland".into());
    save(&dir, &r, &["crafts", "heritage"]).await;

    let (status, headers, csv) = get(&dir, "/directory/export/coops.csv").await;
    assert_eq!(status, 200);
    assert!(
        headers[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert_eq!(headers[ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    assert!(csv.starts_with(
        "name,registered_number,legal_form,membership_type,sectors,nation,region,locality,\
         founded,members,website,actor_url,listed_since\r\n"
    ));
    let records = parse_csv(&csv);
    assert_eq!(records.len(), 6);
    let lens = records.iter().find(|r| r[0] == "Lens Collective").unwrap();
    assert_eq!(
        lens,
        &[
            "Lens Collective",
            "RS123",
            "cic",
            "freelancers",
            "film;photography",
            "england",
            "london",
            "Hackney",
            "2015",
            "12",
            "https://lens.example/",
            "https://coops.example/coops/lens",
            "2025-10-09T08:53:20Z",
        ]
    );
    let smith = records
        .iter()
        .find(|r| r[0] == "Smith, \"Jones\" & Co")
        .unwrap();
    assert_eq!(smith[1], "'=1+2", "formulas are defused");
    assert_eq!(smith[4], "crafts;heritage");
    assert_eq!(smith[5], "northern-ireland");
    assert_eq!(smith[7], "Line one\nline two");

    let v = get_json(&dir, "/directory/export/coops.json").await;
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 5);
    let lens = rows
        .iter()
        .find(|r| r["name"] == "Lens Collective")
        .unwrap();
    assert_eq!(lens["sectors"], serde_json::json!(["film", "photography"]));
    assert_eq!(lens["founded"], 2015);
    assert_eq!(lens["actor_url"], actor("lens"));
    assert_eq!(lens["listed_since"], "2025-10-09T08:53:20Z");
    let keys: Vec<&String> = lens.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 13);
    let filtered = get_json(
        &dir,
        "/directory/export/coops.json?sector=film&nation=wales",
    )
    .await;
    assert_eq!(filtered.as_array().unwrap().len(), 1);

    let m = get_json(&dir, &format!("/directory/murmurations/lens@{HOST}.json")).await;
    assert_eq!(
        m["linked_schemas"],
        serde_json::json!(["organizations_schema-v1.0.0"])
    );
    assert_eq!(m["name"], "Lens Collective");
    assert_eq!(m["primary_url"], "https://lens.example/");
    assert_eq!(
        m["description"],
        "Freelance crews for film and photography."
    );
    assert_eq!(
        m["tags"],
        serde_json::json!(["Film", "Photography", "Freelancers", "Co-operative"])
    );
    assert_eq!(m["country_iso_3166"], "GB");
    assert_eq!(m["locality"], "Hackney");
    assert_eq!(m["region"], "London");
    let urls: Vec<&str> = m["urls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["url"].as_str().unwrap())
        .collect();
    assert!(urls.contains(&"https://coops.example/@lens"));
    assert!(
        urls.iter()
            .any(|u| u.ends_with("/directory/coops/lens@coops.example"))
    );
    assert!(m.get("geolocation").is_none());
    let m = get_json(
        &dir,
        &format!("/directory/murmurations/reel-cymru@{HOST}.json"),
    )
    .await;
    assert_eq!(
        m["primary_url"], "https://coops.example/@reel-cymru",
        "no website: the profile"
    );
    assert_eq!(m["region"], "Wales");
    assert_eq!(
        get(&dir, &format!("/directory/murmurations/lens@{HOST}"))
            .await
            .0,
        404
    );
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
        body.contains(r#"<strong aria-current="true">Research</strong> (1)"#),
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
async fn the_api_sends_cors_headers_and_answers_preflight() {
    let dir = TestNode::spawn_directory(Backend::Sqlite).await;
    movement(&dir).await;
    for path in [
        "/api/v1/directory/coops",
        "/api/v1/directory/coops?q=film",
        &format!("/api/v1/directory/coops/lens@{HOST}"),
        "/api/v1/directory/coops/nobody@nowhere.example",
        "/api/v1/directory/coops?nation=atlantis",
        "/api/v1/directory/stories",
        "/directory/export/coops.csv",
        "/directory/export/coops.json",
        &format!("/directory/murmurations/lens@{HOST}.json"),
    ] {
        let (_, headers, _) = get(&dir, path).await;
        assert_eq!(headers[ACCESS_CONTROL_ALLOW_ORIGIN], "*", "{path}");
    }
    let r = http()
        .request(
            reqwest::Method::OPTIONS,
            dir.base.join("/api/v1/directory/coops?q=x").unwrap(),
        )
        .header(ORIGIN, "https://map.example")
        .header(ACCESS_CONTROL_REQUEST_METHOD, "GET")
        .header("access-control-request-headers", "x-requested-with")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 204);
    assert_eq!(r.headers()[ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    assert!(
        r.headers()[ACCESS_CONTROL_ALLOW_METHODS]
            .to_str()
            .unwrap()
            .contains("GET")
    );
    assert_eq!(
        r.headers()["access-control-allow-headers"],
        "x-requested-with"
    );
    dir.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn directory_routes_are_404_on_a_node_without_the_directory() {
    let node = TestNode::spawn(Backend::Sqlite).await;
    movement(&node).await;
    for path in [
        "/directory",
        "/directory?q=film",
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
