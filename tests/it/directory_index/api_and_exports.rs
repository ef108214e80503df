//! The JSON API and the open-data exports: CSV and JSON streams, Murmurations, CORS.

use super::*;

on_both_backends!(
    exports_stream_every_listed_coop_past_one_chunk,
    exports_and_murmurations_carry_the_open_data_fields,
);

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
