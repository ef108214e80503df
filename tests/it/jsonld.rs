//! Every document a node serves, checked offline: the ActivityPub documents expand as
//! JSON-LD with no undefined term or type (`tests/jsonld/check.py`), WebFinger names the
//! actor as Mastodon expects, and NodeInfo passes its JSON schemas
//! (`tests/jsonld/check_nodeinfo.py`).
//!
//! The checks need python3 with pyld and jsonschema: they run when `MUTUAL_TEST_JSONLD` is
//! set (tests/run sets it after installing tests/jsonld/requirements.txt).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use mutual::content::profile::ProfileInput;
use mutual::content::stories::{self, StoryChanges};
use mutual::content::{coops, follows};
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{Backend, TestNode, eventually, http};

const ACTIVITY_JSON: &str = "application/activity+json";
const CHECK_JSONLD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/jsonld/check.py");
const CHECK_NODEINFO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/jsonld/check_nodeinfo.py"
);

/// Whether the checks run. Unset: skipped, with the reason. Set but python3, pyld or
/// jsonschema missing: a loud failure, since tests/run promised they were installed.
fn checks_enabled() -> bool {
    if std::env::var_os("MUTUAL_TEST_JSONLD").is_none_or(|v| v.is_empty()) {
        eprintln!("skipped: MUTUAL_TEST_JSONLD is not set (tests/run sets it)");
        return false;
    }
    let probe = Command::new("python3")
        .args(["-c", "import pyld, jsonschema"])
        .output()
        .unwrap_or_else(|e| panic!("MUTUAL_TEST_JSONLD is set but python3 cannot run: {e}"));
    assert!(
        probe.status.success(),
        "MUTUAL_TEST_JSONLD is set but pyld or jsonschema is missing \
         (pip install -r tests/jsonld/requirements.txt):\n{}",
        String::from_utf8_lossy(&probe.stderr)
    );
    true
}

/// Runs one of the Python checkers on `files`, from the crate root.
fn run_checker(script: &str, files: &[PathBuf]) -> Output {
    Command::new("python3")
        .arg(script)
        .args(files)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run python3 {script}: {e}"))
}

/// What a checker printed, for failure messages.
fn printed(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Writes `doc` as `dir/name.json` and returns the path.
fn write_doc(dir: &Path, name: &str, doc: &Value) -> PathBuf {
    let path = dir.join(format!("{name}.json"));
    std::fs::write(&path, serde_json::to_vec_pretty(doc).unwrap()).unwrap();
    path
}

/// GETs `url` with `accept` and returns the status, the Content-Type and the JSON body.
async fn fetch(url: &str, accept: &str) -> (StatusCode, String, Value) {
    let response = http()
        .get(url)
        .header("Accept", accept)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let text = response.text().await.unwrap();
    let body = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("GET {url} ({status}) is not JSON: {e}\n{text}"));
    (status, content_type, body)
}

/// GETs an ActivityPub document, which must answer `expected` as activity+json.
async fn fetch_activity_json(url: &str, expected: StatusCode) -> Value {
    let (status, content_type, body) = fetch(url, ACTIVITY_JSON).await;
    assert_eq!(status, expected, "GET {url}: {body}");
    assert!(
        content_type.starts_with(ACTIVITY_JSON),
        "GET {url} answered Content-Type '{content_type}'"
    );
    body
}

fn str_at<'a>(doc: &'a Value, key: &str) -> &'a str {
    doc.get(key).and_then(Value::as_str).unwrap_or("")
}

/// The profile of a co-op with every optional field set, so every term is served.
fn full_profile() -> ProfileInput {
    ProfileInput {
        summary: Some("We make *films* together.".into()),
        website: Some("https://riverside.example/".into()),
        legal_form: Some("society".into()),
        registrar: Some("FCA".into()),
        registered_number: Some("IP12345R".into()),
        membership_type: Some("workers".into()),
        sectors: vec!["film".into(), "music".into()],
        locality: Some("Hackney".into()),
        latitude: Some(51.5),
        longitude: Some(-0.1),
        founded: Some(1998),
        members: Some(12),
        ..Default::default()
    }
}

/// Every activity the node has stored (and so sent, or would send), oldest first.
async fn stored_activities(node: &TestNode) -> Vec<(String, Value)> {
    let mut conn = node.node.db.acquire().await.unwrap();
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, body FROM activities ORDER BY created_at, id")
            .fetch_all(&mut *conn)
            .await
            .unwrap();
    rows.into_iter()
        .map(|(id, body)| (id, serde_json::from_str(&body).unwrap()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_served_document_is_valid_json_ld_with_no_undefined_terms() {
    if !checks_enabled() {
        return;
    }
    // Arrange: a co-op with a full profile and a follower (on the same node), one live
    // story with tags that has been edited, and one deleted story.
    let node = TestNode::spawn(Backend::Sqlite).await;
    let handle = "riverside";
    node.coop(handle).await;
    node.coop("reader").await;
    let actor = node.actor(handle);
    follows::follow(&node.node, "reader", actor.as_str())
        .await
        .unwrap();
    {
        let n = node.node.clone();
        eventually(15, "the local Follow to be accepted", move || {
            let n = n.clone();
            async move {
                follows::list(&n, "reader")
                    .await
                    .unwrap()
                    .into_iter()
                    .find(|f| f.state == "accepted")
            }
        })
        .await;
    }
    coops::edit(&node.node, handle, &full_profile())
        .await
        .unwrap();
    let story = stories::publish(
        &node.node,
        handle,
        "Our new film",
        "A film about *co-ops*, made by its crew.",
        &["film".into(), "cooperatives".into()],
    )
    .await
    .unwrap();
    let story_url = story.url(&node.base);
    stories::edit(
        &node.node,
        Some(handle),
        story_url.as_str(),
        &StoryChanges {
            title: Some("Our finished film".into()),
            tags: Some(vec!["film".into(), "cooperatives".into(), "london".into()]),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let gone = stories::publish(&node.node, handle, "A draft", "Published by mistake.", &[])
        .await
        .unwrap();
    let gone_url = gone.url(&node.base);
    stories::delete(&node.node, Some(handle), gone_url.as_str())
        .await
        .unwrap();

    // Act: fetch every document, as a remote server would.
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    let mut keep = |name: &str, doc: &Value| files.push(write_doc(dir.path(), name, doc));

    let actor_doc = fetch_activity_json(actor.as_str(), StatusCode::OK).await;
    assert_eq!(str_at(&actor_doc, "type"), "Organization");
    assert_eq!(str_at(&actor_doc, "legalForm"), "society", "{actor_doc}");
    assert_eq!(str_at(&actor_doc, "membershipType"), "workers");
    assert_eq!(actor_doc["location"]["latitude"], 51.5, "{actor_doc}");
    keep("actor", &actor_doc);

    let outbox = str_at(&actor_doc, "outbox").to_string();
    let outbox_doc = fetch_activity_json(&outbox, StatusCode::OK).await;
    assert_eq!(outbox_doc["totalItems"], 1, "{outbox_doc}");
    keep("outbox", &outbox_doc);
    let page_doc = fetch_activity_json(&format!("{outbox}?page=1"), StatusCode::OK).await;
    let items = page_doc["orderedItems"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{page_doc}");
    assert_eq!(items[0]["object"]["id"], story_url.as_str());
    keep("outbox-page-1", &page_doc);

    for part in ["followers", "following", "featured"] {
        let doc = fetch_activity_json(str_at(&actor_doc, part), StatusCode::OK).await;
        keep(part, &doc);
    }
    let following = fetch_activity_json(
        node.base.join("/coops/reader/following").unwrap().as_str(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(following["totalItems"], 1, "{following}");
    keep("reader-following", &following);

    let note_doc = fetch_activity_json(story_url.as_str(), StatusCode::OK).await;
    assert_eq!(str_at(&note_doc, "type"), "Note");
    assert_eq!(str_at(&note_doc, "name"), "Our finished film");
    assert_eq!(note_doc["tag"].as_array().unwrap().len(), 3, "{note_doc}");
    assert!(note_doc.get("updated").is_some(), "{note_doc}");
    keep("note", &note_doc);

    let create_doc = fetch_activity_json(&format!("{story_url}/activity"), StatusCode::OK).await;
    assert_eq!(str_at(&create_doc, "type"), "Create");
    keep("note-create", &create_doc);

    let tombstone = fetch_activity_json(gone_url.as_str(), StatusCode::GONE).await;
    assert_eq!(str_at(&tombstone, "type"), "Tombstone");
    keep("tombstone", &tombstone);

    let instance =
        fetch_activity_json(node.base.join("/actor").unwrap().as_str(), StatusCode::OK).await;
    assert_eq!(str_at(&instance, "type"), "Application");
    keep("instance-actor", &instance);

    // Every stored activity, as delivered; those with an id of their own are fetched too
    // (an Update's or a Delete's id is a fragment of the object it changes, as Mastodon's).
    let activities = stored_activities(&node).await;
    let mut kinds: Vec<&str> = activities
        .iter()
        .map(|(_, body)| str_at(body, "type"))
        .collect();
    kinds.sort_unstable();
    assert_eq!(
        kinds,
        [
            "Accept", "Create", "Create", "Delete", "Follow", "Update", "Update"
        ],
        "stored activities"
    );
    let own_ids = node.base.join("/activities/").unwrap();
    let mut fetched = 0;
    for (i, (id, body)) in activities.iter().enumerate() {
        let kind = str_at(body, "type").to_ascii_lowercase();
        keep(&format!("stored-{i}-{kind}"), body);
        if id.starts_with(own_ids.as_str()) {
            let served = fetch_activity_json(id, StatusCode::OK).await;
            assert_eq!(&served, body, "GET {id} serves the stored activity");
            keep(&format!("fetched-{i}-{kind}"), &served);
            fetched += 1;
        }
    }
    assert_eq!(fetched, 2, "the Follow and the Accept resolve");

    // WebFinger, as Mastodon looks a handle up.
    let acct = format!("acct:{handle}@{}", node.domain());
    let (status, _, finger) = fetch(
        node.base
            .join(&format!("/.well-known/webfinger?resource={acct}"))
            .unwrap()
            .as_str(),
        "application/jrd+json",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{finger}");
    assert_eq!(str_at(&finger, "subject"), acct);
    let links = finger["links"].as_array().unwrap();
    assert!(
        links.iter().any(|l| str_at(l, "rel") == "self"
            && str_at(l, "type") == ACTIVITY_JSON
            && str_at(l, "href") == actor.as_str()),
        "no activity+json self link: {finger}"
    );
    assert!(
        links.iter().any(
            |l| str_at(l, "rel") == "http://webfinger.net/rel/profile-page"
                && !str_at(l, "href").is_empty()
        ),
        "no profile-page link: {finger}"
    );

    // NodeInfo: the discovery document links both versions, and each passes its schema.
    let (status, _, discovery) = fetch(
        node.base.join("/.well-known/nodeinfo").unwrap().as_str(),
        "application/json",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{discovery}");
    let mut nodeinfo_files = vec![write_doc(dir.path(), "nodeinfo-discovery", &discovery)];
    for version in ["2.1", "2.0"] {
        let rel = format!("http://nodeinfo.diaspora.software/ns/schema/{version}");
        let href = discovery["links"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| str_at(l, "rel") == rel)
            .map(|l| str_at(l, "href").to_string())
            .unwrap_or_else(|| panic!("no NodeInfo {version} link: {discovery}"));
        let (status, _, doc) = fetch(&href, "application/json").await;
        assert_eq!(status, StatusCode::OK, "GET {href}: {doc}");
        assert_eq!(str_at(&doc, "version"), version);
        nodeinfo_files.push(write_doc(dir.path(), &format!("nodeinfo-{version}"), &doc));
    }

    // Assert: the checkers find nothing.
    let checked = run_checker(CHECK_JSONLD, &files);
    assert_eq!(
        checked.status.code(),
        Some(0),
        "check.py found problems in the served JSON-LD:\n{}",
        printed(&checked)
    );
    let summary = format!("{} documents checked, 0 problems", files.len());
    assert!(
        printed(&checked).contains(&summary),
        "every document has an @context and was checked:\n{}",
        printed(&checked)
    );
    let nodeinfo = run_checker(CHECK_NODEINFO, &nodeinfo_files);
    assert_eq!(
        nodeinfo.status.code(),
        Some(0),
        "check_nodeinfo.py found problems:\n{}",
        printed(&nodeinfo)
    );
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_checker_rejects_a_made_up_term() {
    if !checks_enabled() {
        return;
    }
    let node = TestNode::spawn(Backend::Sqlite).await;
    node.coop("riverside").await;
    let mut actor = fetch_activity_json(node.actor("riverside").as_str(), StatusCode::OK).await;
    actor
        .as_object_mut()
        .unwrap()
        .insert("fooBar".into(), Value::from(1));
    let dir = tempfile::tempdir().unwrap();
    let file = write_doc(dir.path(), "actor-with-foobar", &actor);

    let checked = run_checker(CHECK_JSONLD, &[file]);

    assert_eq!(
        checked.status.code(),
        Some(1),
        "check.py accepted an undefined term:\n{}",
        printed(&checked)
    );
    assert!(
        printed(&checked).contains("undefined term 'fooBar'"),
        "{}",
        printed(&checked)
    );
    node.stop().await;
}
