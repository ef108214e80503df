//! What the node serves: content negotiation, the actor, Notes, Tombstones, collections,
//! WebFinger and NodeInfo.

use mutual::content::stories::{self, StoryChanges};
use reqwest::header::{ACCEPT, CONTENT_TYPE, VARY};
use serde_json::Value;

use crate::helpers::{Backend, TestNode, http};

const AP: &str = "application/activity+json";
const LD: &str = r#"application/ld+json; profile="https://www.w3.org/ns/activitystreams""#;

async fn get(url: &str, accept: &str) -> (u16, String, String, String) {
    let r = http().get(url).header(ACCEPT, accept).send().await.unwrap();
    let status = r.status().as_u16();
    let ct = r
        .headers()
        .get(CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let vary = r
        .headers()
        .get(VARY)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, ct, vary, r.text().await.unwrap())
}

async fn get_json(url: &str) -> Value {
    let (status, ct, _, body) = get(url, AP).await;
    assert_eq!(status, 200, "{url}: {body}");
    assert!(ct.starts_with(AP), "{url}: {ct}");
    serde_json::from_str(&body).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_actor_url_serves_json_to_software_and_html_to_browsers() {
    let node = TestNode::spawn(Backend::Sqlite).await;
    node.coop("blake-house").await;
    let url = node.actor("blake-house").to_string();
    for accept in [AP, LD] {
        let (status, ct, vary, body) = get(&url, accept).await;
        assert_eq!(status, 200);
        assert!(ct.starts_with(AP), "{ct}");
        assert_eq!(vary, "Accept");
        let actor: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(actor["type"], "Organization");
    }
    let (status, ct, vary, body) = get(&url, "text/html,application/xhtml+xml").await;
    assert_eq!(status, 200);
    assert!(ct.starts_with("text/html"), "{ct}");
    assert_eq!(vary, "Accept");
    assert!(
        body.contains("blake-house co-op") && body.contains("@blake-house@"),
        "{body}"
    );
    assert_eq!(
        get(node.base.join("/coops/nobody").unwrap().as_str(), AP)
            .await
            .0,
        404
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_actor_has_every_field_mastodon_reads_and_the_typed_profile() {
    let node = TestNode::spawn(Backend::Sqlite).await;
    let input = mutual::content::profile::ProfileInput {
        name: Some("Blake House Filmmakers Co-op".into()),
        summary: Some("We make **films** together.".into()),
        nation: Some("england".into()),
        region: Some("london".into()),
        locality: Some("Hackney".into()),
        sectors: vec!["film".into(), "education".into()],
        legal_form: Some("society".into()),
        registrar: Some("FCA".into()),
        registered_number: Some("IP12345".into()),
        membership_type: Some("workers".into()),
        founded: Some(2012),
        members: Some(14),
        website: Some("https://blakehouse.example".into()),
        latitude: Some(51.5461),
        longitude: Some(-0.0553),
        ..Default::default()
    };
    mutual::content::coops::create(&node.node, "blake-house", &input)
        .await
        .unwrap();
    let a = get_json(node.actor("blake-house").as_str()).await;
    let id = node.actor("blake-house").to_string();
    assert_eq!(a["id"], id);
    assert_eq!(a["preferredUsername"], "blake-house");
    assert_eq!(a["name"], "Blake House Filmmakers Co-op");
    assert!(
        a["summary"]
            .as_str()
            .unwrap()
            .contains("<strong>films</strong>")
    );
    assert_eq!(a["url"], id);
    for (key, part) in [
        ("inbox", "inbox"),
        ("outbox", "outbox"),
        ("followers", "followers"),
        ("following", "following"),
        ("featured", "featured"),
    ] {
        assert_eq!(a[key], format!("{id}/{part}"), "{key}");
    }
    assert_eq!(
        a["endpoints"]["sharedInbox"],
        node.base.join("/inbox").unwrap().to_string()
    );
    assert_eq!(a["publicKey"]["id"], format!("{id}#main-key"));
    assert_eq!(a["publicKey"]["owner"], id);
    assert!(
        a["publicKey"]["publicKeyPem"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN PUBLIC KEY-----")
    );
    assert_eq!(a["manuallyApprovesFollowers"], false);
    assert_eq!(a["discoverable"], true, "always explicit");
    assert_eq!(a["indexable"], true, "always explicit");
    assert!(a["published"].as_str().unwrap().ends_with('Z'));
    // Typed terms for directories.
    assert_eq!(a["sectors"], serde_json::json!(["film", "education"]));
    assert_eq!(a["nation"], "england");
    assert_eq!(a["region"], "london");
    assert_eq!(a["legalForm"], "society");
    assert_eq!(a["membershipType"], "workers");
    assert_eq!(a["foundedYear"], 2012);
    assert_eq!(a["memberCount"], 14);
    assert_eq!(a["registeredNumber"], "IP12345");
    assert_eq!(a["website"], "https://blakehouse.example/");
    // Location as a Place, coarse.
    assert_eq!(a["location"]["type"], "Place");
    assert_eq!(a["location"]["name"], "Hackney, London, England");
    assert_eq!(a["location"]["latitude"], 51.55);
    // PropertyValues that Mastodon shows, most useful first.
    let names: Vec<&str> = a["attachment"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        &names[..5],
        ["Website", "Sector", "Region", "Founded", "Members"]
    );
    assert!(
        a["attachment"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["type"] == "PropertyValue")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_story_is_a_note_with_title_tags_and_addressing_and_a_tombstone_after_delete() {
    let node = TestNode::spawn(Backend::Sqlite).await;
    node.coop("blake-house").await;
    let story = stories::publish(
        &node.node,
        "blake-house",
        "Our <new> film",
        "It is *long*.\n\n<script>x()</script>",
        &["film".into(), "#Coops".into()],
    )
    .await
    .unwrap();
    let url = story.url(&node.base).to_string();
    let note = get_json(&url).await;
    assert_eq!(note["type"], "Note");
    assert_eq!(note["id"], url);
    assert_eq!(note["url"], url);
    assert_eq!(note["name"], "Our <new> film");
    let content = note["content"].as_str().unwrap();
    assert!(
        content.starts_with("<p><strong>Our &lt;new&gt; film</strong></p>"),
        "{content}"
    );
    assert!(
        content.contains("<em>long</em>") && !content.contains("script"),
        "{content}"
    );
    assert!(
        content.contains(r#"rel="tag">#<span>coops</span></a>"#),
        "{content}"
    );
    assert_eq!(note["attributedTo"], node.actor("blake-house").to_string());
    assert_eq!(
        note["to"],
        serde_json::json!(["https://www.w3.org/ns/activitystreams#Public"])
    );
    assert_eq!(
        note["cc"],
        serde_json::json!([format!("{}/followers", node.actor("blake-house"))])
    );
    let tags: Vec<&str> = note["tag"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(tags, ["#coops", "#film"]);
    assert!(
        note["tag"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["type"] == "Hashtag" && t["href"].as_str().unwrap().contains("/tags/"))
    );
    assert!(note.get("updated").is_none());

    let (status, ct, _, html) = get(&url, "text/html").await;
    assert_eq!(status, 200);
    assert!(
        ct.starts_with("text/html") && html.contains("Our &lt;new&gt; film")
            || html.contains("Our &#60;new&#62; film"),
        "{html}"
    );

    let create = get_json(&format!("{url}/activity")).await;
    assert_eq!(create["type"], "Create");
    assert_eq!(create["object"]["id"], url);

    stories::edit(
        &node.node,
        None,
        &url,
        &StoryChanges {
            body: Some("Shorter.".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let edited = get_json(&url).await;
    assert!(edited["updated"].is_string());
    assert!(edited["content"].as_str().unwrap().contains("Shorter."));

    stories::delete(&node.node, Some("blake-house"), &url)
        .await
        .unwrap();
    let (status, ct, _, body) = get(&url, AP).await;
    assert_eq!(status, 410);
    assert!(ct.starts_with(AP));
    let tomb: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(tomb["type"], "Tombstone");
    assert_eq!(tomb["id"], url);
    assert_eq!(get(&url, "text/html").await.0, 410);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_outbox_is_a_paged_collection_of_creates_and_counts_are_served() {
    let node = TestNode::spawn(Backend::Sqlite).await;
    node.coop("blake-house").await;
    for i in 0..23 {
        stories::publish(
            &node.node,
            "blake-house",
            &format!("Story {i}"),
            "Body.",
            &[],
        )
        .await
        .unwrap();
    }
    let outbox_url = format!("{}/outbox", node.actor("blake-house"));
    let outbox = get_json(&outbox_url).await;
    assert_eq!(outbox["type"], "OrderedCollection");
    assert_eq!(outbox["totalItems"], 23);
    let first = get_json(outbox["first"].as_str().unwrap()).await;
    assert_eq!(first["type"], "OrderedCollectionPage");
    assert_eq!(first["orderedItems"].as_array().unwrap().len(), 20);
    assert_eq!(first["orderedItems"][0]["type"], "Create");
    assert_eq!(
        first["orderedItems"][0]["object"]["name"], "Story 22",
        "newest first"
    );
    let second = get_json(first["next"].as_str().unwrap()).await;
    assert_eq!(second["orderedItems"].as_array().unwrap().len(), 3);
    assert!(second.get("next").is_none());
    for part in ["followers", "following"] {
        let c = get_json(&format!("{}/{part}", node.actor("blake-house"))).await;
        assert_eq!(c["totalItems"], 0, "{part}");
    }
    let featured = get_json(&format!("{}/featured", node.actor("blake-house"))).await;
    assert_eq!(featured["orderedItems"], serde_json::json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webfinger_finds_a_coop_by_handle_or_actor_url_and_nodeinfo_is_served() {
    let node = TestNode::spawn(Backend::Sqlite).await;
    node.coop("blake-house").await;
    let actor = node.actor("blake-house").to_string();
    for resource in [format!("acct:blake-house@{}", node.domain()), actor.clone()] {
        let mut url = node.base.join("/.well-known/webfinger").unwrap();
        url.query_pairs_mut().append_pair("resource", &resource);
        let r = http().get(url).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200, "{resource}");
        assert!(
            r.headers()[CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("application/jrd+json")
        );
        let jrd: Value = r.json().await.unwrap();
        assert_eq!(
            jrd["subject"],
            format!("acct:blake-house@{}", node.domain())
        );
        let links = jrd["links"].as_array().unwrap();
        assert!(
            links
                .iter()
                .any(|l| l["rel"] == "self" && l["type"] == AP && l["href"] == actor.as_str())
        );
        assert!(
            links
                .iter()
                .any(|l| l["rel"] == "http://webfinger.net/rel/profile-page")
        );
    }
    let missing = node
        .base
        .join(&format!(
            "/.well-known/webfinger?resource=acct:nobody@{}",
            node.domain()
        ))
        .unwrap();
    assert_eq!(
        http().get(missing).send().await.unwrap().status().as_u16(),
        404
    );
    let elsewhere = node
        .base
        .join("/.well-known/webfinger?resource=acct:blake-house@elsewhere.example")
        .unwrap();
    assert_eq!(
        http()
            .get(elsewhere)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        404
    );
    let no_resource = node.base.join("/.well-known/webfinger").unwrap();
    assert_eq!(
        http()
            .get(no_resource)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        400
    );

    let index: Value = http()
        .get(node.base.join("/.well-known/nodeinfo").unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let hrefs: Vec<&str> = index["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["href"].as_str().unwrap())
        .collect();
    assert_eq!(hrefs.len(), 2);
    for href in hrefs {
        let info: Value = http().get(href).send().await.unwrap().json().await.unwrap();
        assert_eq!(info["software"]["name"], "mutual");
        assert_eq!(info["protocols"], serde_json::json!(["activitypub"]));
        assert_eq!(info["usage"]["users"]["total"], 1);
    }
}
