//! The read side of the directory: browse, facets and search (`directory::index`), the
//! HTML pages, the JSON API, the exports and Murmurations profiles. Listings are seeded
//! straight into a directory node's database with the write side (`db::listings`).
//! The tests are split by theme; this module holds the seeding and request helpers.

mod api_and_exports;
mod feeds;
mod home;
mod map;
mod other_processes;
mod pages;
mod paging_and_validation;
mod search_and_facets;
mod stats;
mod unlisted_and_hostile;

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

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
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
