//! Accessibility (issue #6): axe-core in headless Chromium (tests/peers/accessibility.mjs)
//! finds no serious or critical violation on the public and signed-in pages, in English and
//! Welsh, in light mode, and no colour-contrast failure in dark mode. With
//! `MUTUAL_SCREENSHOTS=1` the same run rewrites docs/screenshots/ (see its README.md).
//! Runs with MUTUAL_TEST_BROWSER=1 (tests/run sets it).
//!
//! SQLite only: the pages render the same rows whichever database holds them (the
//! `on_both_backends!` page tests cover the queries), and a Chromium run per backend would
//! double the slowest test for nothing.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use image::{ImageFormat, Rgb, RgbImage};
use mutual::accounts::invites;
use mutual::content::coops;
use mutual::content::media::{self, Purpose};
use mutual::content::profile::ProfileInput;
use mutual::content::stories::{self, ImageRef, NewStory};
use mutual::db::listings::{self, ListingRow, ListingStoryRow};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::browser::Browser;
use crate::helpers::chromium::{browser_enabled, node_script};
use crate::helpers::fedify::peers_dir;
use crate::helpers::{Backend, TestNode};

const LANGUAGES: &[&str] = &["en", "cy"];
const PASSWORD: &str = "a long enough password";

/// One page to check: its screenshot name, URL and whether it needs the member's cookies.
struct Target {
    name: &'static str,
    url: String,
    signed_in: bool,
    /// Whether `MUTUAL_SCREENSHOTS=1` saves it to docs/screenshots (the issue #6 pages).
    screenshot: bool,
    /// A form to fill in and submit first (`fill`, `click`, `expect`: see accessibility.mjs),
    /// so that the page checked is what the answer shows.
    submit: Option<Value>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_no_serious_or_critical_violation_on_any_page_in_either_language() {
    if !browser_enabled() {
        return;
    }
    assert_axe_installed();
    let node = TestNode::spawn(Backend::Sqlite).await;
    let dir = TestNode::spawn_directory(Backend::Sqlite).await;
    let (story, cookie) = a_coop_with_stories(&node).await;
    let key = a_movement(&dir).await;

    let n = |path: &str| node.base.join(path).unwrap().to_string();
    let d = |path: &str| dir.base.join(path).unwrap().to_string();
    let page = |name, url| Target {
        name,
        url,
        signed_in: false,
        screenshot: true,
        submit: None,
    };
    // The signed-in pages of issue #7, checked but not photographed.
    let member = |name, path: &str| Target {
        name,
        url: n(path),
        signed_in: true,
        screenshot: false,
        submit: None,
    };
    // A form refused for a broken rule: the page with the rule beside its field.
    let refused = |name, path: &str, submit: Value| Target {
        submit: Some(submit),
        ..member(name, path)
    };
    let targets = vec![
        page("node-home", n("/")),
        page("coop", n("/coops/riverside")),
        page("story", story),
        page("tag", n("/tags/film")),
        page("login", n("/login")),
        Target {
            name: "editor",
            url: n("/manage/riverside/stories/new"),
            signed_in: true,
            screenshot: true,
            submit: None,
        },
        Target {
            name: "profile-form",
            url: n("/manage/riverside/profile"),
            signed_in: true,
            screenshot: true,
            submit: None,
        },
        refused(
            "editor-refused",
            "/manage/riverside/stories/new",
            json!({ "fill": { "#title": "A title", "#body": "" },
                    "click": "button[value=publish]", "expect": "#body-error" }),
        ),
        refused(
            "profile-form-refused",
            "/manage/riverside/profile",
            json!({ "fill": { "#founded": "soon" },
                    "click": "form.profile-form button[type=submit]", "expect": "#founded-error" }),
        ),
        member("timeline", "/manage/riverside/timeline"),
        member("notifications", "/manage/riverside/notifications"),
        member("following", "/manage/riverside/following"),
        member("blocks", "/manage/riverside/blocks"),
        page("directory-home", d("/directory")),
        page("directory-browse", d("/directory/browse?sector=film")),
        page("directory-coop", d(&format!("/directory/coops/{key}"))),
        page("directory-stories", d("/directory/stories")),
        page("directory-map", d("/directory/map")),
        page("directory-stats", d("/directory/stats")),
    ];

    let work = tempfile::tempdir().unwrap();
    let state = work.path().join("member.json");
    std::fs::write(&state, storage_state(&node, &cookie).to_string()).unwrap();
    let pages: Vec<Value> = targets
        .iter()
        .map(|t| {
            let mut p = json!({ "name": t.name, "url": t.url, "screenshot": t.screenshot });
            if t.signed_in {
                p["state"] = json!(state);
            }
            if let Some(submit) = &t.submit {
                p["submit"] = submit.clone();
            }
            p
        })
        .collect();
    let mut runs: Vec<Value> = LANGUAGES.iter().map(|l| json!({ "lang": l })).collect();
    // Dark mode swaps every colour: check contrast there too.
    runs.extend(
        LANGUAGES
            .iter()
            .map(|l| json!({ "lang": l, "colorScheme": "dark", "rules": ["color-contrast"] })),
    );
    let mut spec = json!({ "pages": pages, "runs": runs });
    if std::env::var("MUTUAL_SCREENSHOTS").is_ok_and(|v| v == "1") {
        spec["screenshots"] = json!(screenshots_dir());
    }

    let results = axe(work.path(), &spec).await;
    assert_eq!(
        results.len(),
        targets.len() * LANGUAGES.len() * 2,
        "one result per page and run"
    );
    let mut failures = Vec::new();
    for r in &results {
        let wanted = r["run"]["lang"].as_str().unwrap();
        // Every page is the one asked for: the member's pages are not the log-in form.
        assert_eq!(r["finalUrl"], r["url"], "{} was redirected", r["name"]);
        // Accept-Language chose the interface's language.
        assert_eq!(
            r["lang"], wanted,
            "<html lang> of {} for {wanted}",
            r["name"]
        );
        for v in r["violations"].as_array().unwrap() {
            if matches!(v["impact"].as_str(), Some("serious" | "critical")) {
                failures.push(describe(r, v));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "axe-core found {} serious or critical violation(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// The check can fail: a page with an unlabelled input is reported as critical.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_reports_an_unlabelled_input_as_critical() {
    if !browser_enabled() {
        return;
    }
    assert_axe_installed();
    let work = tempfile::tempdir().unwrap();
    let html = "<!doctype html><html lang=en><title>Form</title><main><h1>Form</h1>\
                <form><input type=text name=q></form></main></html>";
    let spec = json!({
        "pages": [{ "name": "unlabelled", "url": format!("data:text/html,{}", urlencode(html)) }],
        "runs": [{ "lang": "en" }],
    });
    let results = axe(work.path(), &spec).await;
    let label = results[0]["violations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == "label")
        .unwrap_or_else(|| panic!("no `label` violation in {}", results[0]));
    assert_eq!(label["impact"], "critical");
    assert_eq!(label["nodes"][0]["target"][0], "input");
}

fn assert_axe_installed() {
    assert!(
        peers_dir()
            .join("node_modules/axe-core/axe.min.js")
            .is_file(),
        "MUTUAL_TEST_BROWSER is set but axe-core is missing: run `npm ci` in tests/peers"
    );
}

fn screenshots_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots")
}

/// Percent-encodes text for a `data:` URL (which reads `+` as a plus, not a space).
fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// Runs tests/peers/accessibility.mjs on a spec; its results.
async fn axe(work: &Path, spec: &Value) -> Vec<Value> {
    let file = work.join("spec.json");
    std::fs::write(&file, spec.to_string()).unwrap();
    let (text, stderr) = node_script("accessibility.mjs", vec![file.display().to_string()]).await;
    // Every violation, minor and moderate ones too, readably (shown with a failure).
    eprint!("{stderr}");
    let report: Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    report["results"].as_array().unwrap().clone()
}

/// One violation, readably: page, run, rule, help link and each element with its fixes.
fn describe(r: &Value, v: &Value) -> String {
    let mut out = format!(
        "[{}] {} ({}, {}) {}: {}\n  {}\n  {}",
        v["impact"].as_str().unwrap_or("?"),
        r["name"].as_str().unwrap(),
        r["run"]["lang"].as_str().unwrap(),
        r["run"]["colorScheme"].as_str().unwrap_or("light"),
        v["id"].as_str().unwrap(),
        v["help"].as_str().unwrap_or(""),
        r["url"].as_str().unwrap(),
        v["helpUrl"].as_str().unwrap_or(""),
    );
    for n in v["nodes"].as_array().unwrap() {
        let target: Vec<&str> = n["target"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        out.push_str(&format!("\n  at {}", target.join(" ")));
        if let Some(s) = n["summary"].as_str() {
            out.push_str(&format!("\n     {}", s.replace('\n', "\n     ")));
        }
    }
    out
}

/// A Playwright storage state holding the member's session cookie.
fn storage_state(node: &TestNode, cookie: &(String, String)) -> Value {
    json!({
        "cookies": [{
            "name": cookie.0, "value": cookie.1, "domain": node.base.host_str().unwrap(),
            "path": "/", "expires": -1, "httpOnly": true, "secure": false, "sameSite": "Lax",
        }],
        "origins": [],
    })
}

/// A picture with some shape to it (a gradient with bands), as PNG bytes.
fn picture(w: u32, h: u32, from: [u8; 3], to: [u8; 3]) -> Vec<u8> {
    let img = RgbImage::from_fn(w, h, |x, y| {
        let t = (x + y) as f32 / (w + h) as f32;
        let band = if (x / 40 + y / 40) % 2 == 0 {
            1.0
        } else {
            0.92
        };
        let mix = |i: usize| ((from[i] as f32 * (1.0 - t) + to[i] as f32 * t) * band) as u8;
        Rgb([mix(0), mix(1), mix(2)])
    });
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .unwrap();
    out
}

/// Co-op `riverside` with a full profile, avatar and header, four tagged stories (one with
/// an image and alt text), a second co-op, and a signed-in admin of riverside. Returns the
/// story page with the image and the session cookie.
async fn a_coop_with_stories(node: &TestNode) -> (String, (String, String)) {
    let n = &node.node;
    let input = ProfileInput {
        name: Some("Riverside Film Co-op".into()),
        summary: Some(
            "A worker co-op making **documentaries** in the valleys since 2011. We run \
             community screenings, film clubs and training for young film makers."
                .into(),
        ),
        website: Some("https://riverside.example/".into()),
        legal_form: Some("society".into()),
        registrar: Some("FCA Mutuals Register".into()),
        registered_number: Some("RS007421".into()),
        membership_type: Some("workers".into()),
        sectors: vec!["film".into(), "education".into()],
        nation: Some("wales".into()),
        locality: Some("Merthyr Tydfil".into()),
        founded: Some(2011),
        members: Some(14),
        ..Default::default()
    };
    coops::create(n, "riverside", &input).await.unwrap();
    coops::set_picture(
        n,
        "riverside",
        Purpose::Avatar,
        picture(400, 400, [11, 110, 79], [242, 169, 0]),
    )
    .await
    .unwrap();
    coops::set_picture(
        n,
        "riverside",
        Purpose::Header,
        picture(1500, 500, [29, 60, 110], [11, 110, 79]),
    )
    .await
    .unwrap();
    let other = ProfileInput {
        name: Some("Blake House Filmmakers".into()),
        summary: Some("Documentaries and training in east London.".into()),
        nation: Some("england".into()),
        region: Some("london".into()),
        sectors: vec!["film".into()],
        ..Default::default()
    };
    coops::create(n, "blake-house", &other).await.unwrap();

    let tags = |t: &[&str]| t.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let publish = |handle: &'static str, title: &str, kind: &str, body: &str, t: Vec<String>| {
        let new = NewStory {
            title: title.into(),
            body: body.into(),
            tags: t,
            kind: kind.into(),
            language: String::new(),
            in_reply_to: None,
            images: Vec::new(),
        };
        async move { stories::publish_story(n, handle, &new, None).await.unwrap() }
    };
    publish(
        "blake-house",
        "Spring film school",
        "news",
        "Ten places for young film makers, paid, every Saturday in April.",
        tags(&["film", "training"]),
    )
    .await;
    publish(
        "riverside",
        "What a co-op cinema costs",
        "research",
        "We counted every pound of a year of **community screenings**: the hall, the \
         licences, the projector and the tea.\n\n- Hall hire: 38%\n- Film licences: 31%\n- \
         Everything else: 31%",
        tags(&["film", "research", "cinema"]),
    )
    .await;
    publish(
        "riverside",
        "Hiring: a part-time editor",
        "news",
        "Two days a week, paid at the co-op's one rate. Members welcome to apply.",
        tags(&["jobs"]),
    )
    .await;
    let image = media::store(
        n,
        picture(1200, 800, [242, 169, 0], [29, 60, 110]),
        Purpose::Story,
    )
    .await
    .unwrap();
    let new = NewStory {
        title: "Our first screening".into(),
        body: "Come to the **Workmen's Hall** on Friday at 7pm. Tea and Welsh cakes from \
               6:30; the film has English and Welsh subtitles."
            .into(),
        tags: tags(&["film", "valleys"]),
        kind: "event".into(),
        language: "en".into(),
        in_reply_to: None,
        images: vec![ImageRef {
            hash: image.hash,
            alt: "Volunteers setting out rows of chairs in a hall".into(),
        }],
    };
    let story = stories::publish_story(n, "riverside", &new, None)
        .await
        .unwrap();

    let link = invites::invite_member(n, None, "riverside", "admin")
        .await
        .unwrap();
    let mut member = Browser::new(&node.base);
    let page = member.accept(link.as_str(), "rhian", PASSWORD).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let session = member
        .cookies
        .get(mutual::web::accounts::SESSION_COOKIE)
        .expect("a session cookie after accepting the invitation")
        .clone();
    (
        story.url(&node.base).to_string(),
        (mutual::web::accounts::SESSION_COOKIE.to_string(), session),
    )
}

/// A listed co-op: handle, name, nation, region, place, membership type, legal form, year
/// founded, members, sectors.
type Sample = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
    &'static str,
    &'static str,
    i64,
    i64,
    &'static [&'static str],
);

/// Eight listed co-ops across the four nations (with stories) on the directory; returns
/// the key of one for its directory page. Seeded straight into the database, as
/// tests/it/directory_index does: the pages only read listings.
async fn a_movement(dir: &TestNode) -> String {
    const HOST: &str = "coops.example";
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let day = 86_400_000;
    #[rustfmt::skip]
    let coops: &[Sample] = &[
        ("reel-cymru", "Reel Cymru Film Co-op", "wales", None, "Cardiff", "workers", "society", 2009, 11, &["film"]),
        ("lens", "Lens Collective", "england", Some("london"), "Hackney", "freelancers", "cic", 2015, 40, &["film", "photography"]),
        ("glasgow-sound", "Glasgow Sound", "scotland", None, "Glasgow", "workers", "society", 1998, 6, &["music"]),
        ("tyne-stage", "Tyne Stage", "england", Some("north-east"), "Newcastle", "community", "society", 2019, 230, &["theatre", "festivals"]),
        ("belfast-print", "Belfast Print Workshop", "northern-ireland", None, "Belfast", "multi-stakeholder", "company", 1977, 85, &["visual-arts", "crafts"]),
        ("leeds-games", "Leeds Games Guild", "england", Some("yorkshire-and-the-humber"), "Leeds", "workers", "company", 2021, 9, &["games", "design"]),
        ("bristol-press", "Bristol Free Press", "england", Some("south-west"), "Bristol", "consumers", "society", 2004, 310, &["publishing", "media"]),
        ("aber-dance", "Aber Dance", "wales", None, "Aberystwyth", "community", "cio", 2012, 54, &["dance", "education"]),
    ];
    let mut conn = dir.node.db.acquire().await.unwrap();
    for (i, (slug, name, nation, region, place, membership, form, founded, members, sectors)) in
        coops.iter().enumerate()
    {
        let actor = format!("https://{HOST}/coops/{slug}");
        let row = ListingRow {
            actor_id: actor.clone(),
            state: "listed".into(),
            handle: Some(format!("@{slug}@{HOST}")),
            name: (*name).into(),
            summary: format!(
                "<p>{name} is a {membership} co-op in {place}, owned by the people who \
                 make its work.</p>"
            ),
            url: Some(format!("https://{HOST}/@{slug}")),
            nation: Some((*nation).into()),
            region: region.map(Into::into),
            locality: Some((*place).into()),
            membership_type: Some((*membership).into()),
            legal_form: Some((*form).into()),
            founded: Some(*founded),
            members: Some(*members),
            website: Some(format!("https://{slug}.example/")),
            indexable: 1,
            boost_allowed: 1,
            listed_at: Some(now - (i as i64 + 1) * 3 * day),
            last_seen_at: Some(now - day),
            last_active_at: Some(now - (i as i64) * day),
            ..Default::default()
        };
        let sectors: Vec<String> = sectors.iter().map(|s| s.to_string()).collect();
        listings::save_profile(&mut conn, &row, &sectors)
            .await
            .unwrap();
        let (kind, title, body) = match i % 3 {
            0 => (
                "research",
                format!("{name}: a year in numbers"),
                "<p>What we earned, what we paid ourselves and what we spent.</p>",
            ),
            1 => (
                "news",
                format!("{name} welcomes new members"),
                "<p>Five new members joined at our spring general meeting.</p>",
            ),
            _ => (
                "event",
                format!("Open day at {name}"),
                "<p>Come and see how a co-op works, with tea and a tour.</p>",
            ),
        };
        let story = ListingStoryRow {
            id: format!("{actor}/stories/1"),
            actor_id: actor,
            title,
            content: body.into(),
            url: Some(format!("https://{HOST}/@{slug}/1")),
            kind: kind.into(),
            published_at: now - (i as i64) * day / 2,
        };
        listings::put_story(&mut conn, &story).await.unwrap();
    }
    format!("reel-cymru@{HOST}")
}
