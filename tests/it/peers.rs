//! Real third-party ActivityPub software over loopback (tests/peers): a Fedify actor that
//! follows a co-op and verifies the signature of everything it receives, and the
//! activitypub-testing actor suite. They need Node and `npm ci` in tests/peers, which
//! tests/run provides and announces with `MUTUAL_TEST_PEERS=1`.

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mutual::content::profile::ProfileInput;
use mutual::content::stories::{self, StoryChanges};
use mutual::content::{coops, followers};
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, Command};
use tokio::sync::mpsc;
use url::Url;

use crate::helpers::{Backend, TestNode, eventually};

/// How long each wait for a peer's event (or the actor suite) may take.
pub(crate) const WAIT: Duration = Duration::from_secs(60);
const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

pub(crate) fn peers_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/peers")
}

/// True when the peers are to run. Without `MUTUAL_TEST_PEERS` the test is skipped with the
/// reason printed; with it, a missing `node` or `npm ci` is a failure, not a skip.
pub(crate) fn peers_enabled() -> bool {
    match std::env::var("MUTUAL_TEST_PEERS") {
        Ok(value) if !value.is_empty() => {}
        _ => {
            eprintln!("skipped: MUTUAL_TEST_PEERS is not set (tests/run sets it)");
            return false;
        }
    }
    match std::process::Command::new("node").arg("--version").output() {
        Ok(out) if out.status.success() => {}
        Ok(out) => panic!(
            "MUTUAL_TEST_PEERS is set but `node --version` failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) => panic!("MUTUAL_TEST_PEERS is set but `node` cannot be run: {e}"),
    }
    let modules = peers_dir().join("node_modules");
    for package in ["@fedify/fedify", "@fedify/vocab", "activitypub-testing"] {
        assert!(
            modules.join(package).is_dir(),
            "MUTUAL_TEST_PEERS is set but {} is missing: run `npm ci` in {}",
            modules.join(package).display(),
            peers_dir().display()
        );
    }
    true
}

/// A port that was free a moment ago on 127.0.0.1.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// `node tests/peers/fedify-follower.mjs`, its JSON events and its stderr.
pub(crate) struct FedifyFollower {
    child: Child,
    /// Kept open: the peer exits when its stdin closes.
    stdin: Option<ChildStdin>,
    events: mpsc::UnboundedReceiver<Value>,
    seen: Vec<Value>,
    stderr: Arc<Mutex<String>>,
    stderr_reader: tokio::task::JoinHandle<()>,
}

impl FedifyFollower {
    pub(crate) fn spawn(target: &Url, knock: &str) -> FedifyFollower {
        Self::spawn_with(target, knock, &[])
    }

    /// Like [`FedifyFollower::spawn`], with the script's opt-in flags (`--accept-follows`,
    /// `--profile JSON`).
    pub(crate) fn spawn_with(target: &Url, knock: &str, extra_args: &[&str]) -> FedifyFollower {
        let port = free_port().to_string();
        let mut child = Command::new("node")
            .arg(peers_dir().join("fedify-follower.mjs"))
            .args([
                "--port",
                &port,
                "--target",
                target.as_str(),
                "--knock",
                knock,
            ])
            .args(["--timeout-secs", "300"])
            .args(extra_args)
            .current_dir(peers_dir())
            .env("FEDIFY_LOG", "debug")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start node fedify-follower.mjs: {e}"));
        let stdin = child.stdin.take();

        let (send, events) = mpsc::unbounded_channel();
        let stdout = child.stdout.take().unwrap();
        tokio::spawn(async move {
            let mut lines = BufReader::new(stdout).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                let event = serde_json::from_str::<Value>(&line)
                    .unwrap_or_else(|_| serde_json::json!({ "event": "not-json", "line": line }));
                if send.send(event).is_err() {
                    break;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let child_stderr = child.stderr.take().unwrap();
        let sink = stderr.clone();
        let stderr_reader = tokio::spawn(async move {
            let mut lines = BufReader::new(child_stderr).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                let mut all = sink.lock().unwrap();
                all.push_str(&line);
                all.push('\n');
            }
        });
        FedifyFollower {
            child,
            stdin,
            events,
            seen: Vec::new(),
            stderr,
            stderr_reader,
        }
    }

    /// Sends the peer one command (a JSON line on its stdin, e.g. `create-note`).
    pub(crate) async fn command(&mut self, command: Value) {
        let stdin = self.stdin.as_mut().expect("the peer's stdin is open");
        let line = format!("{command}\n");
        stdin
            .write_all(line.as_bytes())
            .await
            .unwrap_or_else(|e| panic!("cannot send {command} to fedify-follower: {e}"));
        stdin.flush().await.unwrap();
    }

    /// The events seen so far, one JSON line each.
    pub(crate) fn events_seen(&self) -> String {
        if self.seen.is_empty() {
            return "  (none)".into();
        }
        let lines: Vec<String> = self.seen.iter().map(|e| format!("  {e}")).collect();
        lines.join("\n")
    }

    /// Everything seen so far and the peer's stderr, for failure messages.
    pub(crate) fn report(&self) -> String {
        format!(
            "events seen so far:\n{}\npeer stderr (FEDIFY_LOG=debug):\n{}",
            self.events_seen(),
            self.stderr.lock().unwrap()
        )
    }

    /// Panics (with the report) if the peer reported a failed signature, an error or garbage.
    pub(crate) fn check_no_failure(&self) {
        if let Some(bad) = self
            .seen
            .iter()
            .find(|e| matches!(kind(e), "unverified" | "error" | "not-json"))
        {
            panic!(
                "fedify-follower reported a failure: {bad}\n{}",
                self.report()
            );
        }
    }

    /// The first event of `kind` for which `matches` holds, seen already or within [`WAIT`].
    pub(crate) async fn wait_for(
        &mut self,
        wanted: &str,
        matches: impl Fn(&Value) -> bool,
    ) -> Value {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            self.check_no_failure();
            if let Some(event) = self.seen.iter().find(|e| kind(e) == wanted && matches(e)) {
                return event.clone();
            }
            match tokio::time::timeout_at(deadline, self.events.recv()).await {
                Ok(Some(event)) => self.seen.push(event),
                Ok(None) => {
                    // stdout closed: let the peer exit and stderr drain, then say why.
                    let status = tokio::time::timeout(Duration::from_secs(5), self.child.wait())
                        .await
                        .map(|s| s.map(|s| s.to_string()));
                    let _ =
                        tokio::time::timeout(Duration::from_secs(5), &mut self.stderr_reader).await;
                    panic!(
                        "fedify-follower exited ({status:?}) before a '{wanted}' event\n{}",
                        self.report()
                    );
                }
                Err(_) => panic!(
                    "timed out after {}s waiting for a '{wanted}' event from fedify-follower\n{}",
                    WAIT.as_secs(),
                    self.report()
                ),
            }
        }
    }

    /// Closes stdin so that the peer exits, then collects its last events and all of stderr.
    pub(crate) async fn finish(&mut self) {
        drop(self.stdin.take());
        if tokio::time::timeout(Duration::from_secs(10), self.child.wait())
            .await
            .is_err()
        {
            let _ = self.child.kill().await;
        }
        while let Ok(Some(event)) =
            tokio::time::timeout(Duration::from_secs(5), self.events.recv()).await
        {
            self.seen.push(event);
        }
        let _ = tokio::time::timeout(Duration::from_secs(5), &mut self.stderr_reader).await;
    }
}

pub(crate) fn kind(event: &Value) -> &str {
    event["event"].as_str().unwrap_or("")
}

/// A string field of an event, or a panic naming it.
pub(crate) fn field<'a>(event: &'a Value, pointer: &str) -> &'a str {
    event
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string at {pointer} in {event}"))
}

fn strings(event: &Value, pointer: &str) -> Vec<String> {
    event
        .pointer(pointer)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fedify_following_with_draft_cavage_receives_verified_accept_create_update_and_delete() {
    fedify_follows_a_coop_and_receives_its_stories("draft-cavage").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fedify_following_with_rfc9421_receives_verified_accept_create_update_and_delete() {
    fedify_follows_a_coop_and_receives_its_stories("rfc9421").await;
}

async fn fedify_follows_a_coop_and_receives_its_stories(knock: &str) {
    if !peers_enabled() {
        return;
    }
    // Arrange: a node with a co-op, and a Fedify actor that looks it up and follows it.
    let node = TestNode::spawn(Backend::Sqlite).await;
    node.coop("blake-house").await;
    let coop = node.actor("blake-house");
    let mut peer = FedifyFollower::spawn(&coop, knock);

    let ready = peer.wait_for("ready", |_| true).await;
    let fedify_actor = field(&ready, "/actor").to_string();
    let lookup = peer.wait_for("lookup", |_| true).await;
    assert_eq!(field(&lookup, "/id"), coop.as_str(), "{}", peer.report());
    assert_eq!(field(&lookup, "/type"), "Organization", "{}", peer.report());
    assert_eq!(
        field(&lookup, "/preferredUsername"),
        "blake-house",
        "{}",
        peer.report()
    );

    // The co-op accepts the Follow, signed so that Fedify verifies it.
    let accept = peer.wait_for("accept", |_| true).await;
    let follow = peer.wait_for("follow-sent", |_| true).await;
    assert_eq!(
        field(&accept, "/object"),
        field(&follow, "/id"),
        "{}",
        peer.report()
    );
    assert_eq!(accept["matches_follow"], true, "{}", peer.report());
    assert_eq!(field(&accept, "/actor"), coop.as_str(), "{}", peer.report());
    {
        let (state, fedify_actor) = (node.node.clone(), fedify_actor.clone());
        eventually(
            15,
            "the Fedify actor to be an accepted follower",
            move || {
                let (state, fedify_actor) = (state.clone(), fedify_actor.clone());
                async move {
                    followers::list(&state, "blake-house", Some("accepted"))
                        .await
                        .unwrap()
                        .into_iter()
                        .find(|f| f.actor_id == fedify_actor)
                }
            },
        )
        .await;
    }

    // Act: publish a story.
    let title = "Our new film";
    let body = "Made together by the members of Blake House.";
    let story = stories::publish(&node.node, "blake-house", title, body, &["film".into()])
        .await
        .unwrap();
    let story_url = story.url(&node.base).to_string();

    // Assert: Fedify receives a verified Create(Note) with the story.
    let create = peer
        .wait_for("create", |e| e["object"]["id"] == story_url.as_str())
        .await;
    let report = peer.report();
    assert_eq!(field(&create, "/actor"), coop.as_str(), "{report}");
    assert_eq!(field(&create, "/object/type"), "Note", "{report}");
    assert_eq!(field(&create, "/object/name"), title, "{report}");
    assert_eq!(
        field(&create, "/object/attributedTo"),
        coop.as_str(),
        "{report}"
    );
    let content = field(&create, "/object/content");
    assert!(content.contains(title), "{content}\n{report}");
    assert!(content.contains(body), "{content}\n{report}");
    assert!(
        strings(&create, "/object/to").iter().any(|t| t == PUBLIC),
        "a public Note is addressed to {PUBLIC}\n{report}"
    );
    let tags = create["object"]["tags"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let film = node.base.join("/tags/film").unwrap();
    assert!(
        tags.iter()
            .any(|t| t["type"] == "Hashtag" && t["name"] == "#film" && t["href"] == film.as_str()),
        "a Hashtag #film linking to {film}\n{report}"
    );

    // Act and assert: an edit arrives as a verified Update with the new title.
    stories::edit(
        &node.node,
        Some("blake-house"),
        &story_url,
        &StoryChanges {
            title: Some("Our finished film".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let update = peer
        .wait_for("update", |e| e["object"]["id"] == story_url.as_str())
        .await;
    let report = peer.report();
    assert_eq!(field(&update, "/actor"), coop.as_str(), "{report}");
    assert_eq!(
        field(&update, "/object/name"),
        "Our finished film",
        "{report}"
    );
    assert!(
        field(&update, "/object/content").contains("Our finished film"),
        "{report}"
    );

    // Act and assert: a delete arrives as a verified Delete of the story.
    stories::delete(&node.node, Some("blake-house"), &story_url)
        .await
        .unwrap();
    let delete = peer
        .wait_for("delete", |e| e["object"] == story_url.as_str())
        .await;
    assert_eq!(field(&delete, "/actor"), coop.as_str(), "{}", peer.report());

    // Nothing failed verification along the way, and the first knock was always accepted
    // (Fedify logs at debug level when it falls back to the other signature scheme).
    peer.finish().await;
    peer.check_no_failure();
    let report = peer.report();
    assert!(
        !peer.stderr.lock().unwrap().contains("(double-knocking)"),
        "the node refused Fedify's {knock} signature, so Fedify retried with the other scheme\n{report}"
    );
    eprintln!("fedify-follower ({knock}) events:\n{}", peer.events_seen());
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn activitypub_testing_finds_no_failed_outcome_for_a_coop_actor() {
    if !peers_enabled() {
        return;
    }
    // Arrange: a co-op with a summary and several optional profile fields.
    let node = TestNode::spawn(Backend::Sqlite).await;
    let input = ProfileInput {
        name: Some("Blake House".into()),
        summary: Some("A workers' co-op making films in east London.".into()),
        website: Some("https://blakehouse.example".into()),
        legal_form: Some("society".into()),
        membership_type: Some("workers".into()),
        sectors: vec!["film".into(), "music".into()],
        nation: Some("england".into()),
        region: Some("london".into()),
        locality: Some("Hackney".into()),
        founded: Some(2012),
        members: Some(14),
        ..Default::default()
    };
    coops::create(&node.node, "blake-house", &input)
        .await
        .unwrap();
    let actor = node.actor("blake-house");

    // Act: run the actor suite against it.
    let run = Command::new("bash")
        .arg(peers_dir().join("activitypub-testing.sh"))
        .arg(actor.as_str())
        .current_dir(peers_dir())
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(WAIT * 3, run)
        .await
        .unwrap_or_else(|_| {
            panic!(
                "activitypub-testing.sh {actor} did not finish in {}s",
                (WAIT * 3).as_secs()
            )
        })
        .unwrap_or_else(|e| panic!("cannot run activitypub-testing.sh: {e}"));

    // Assert: no case failed.
    assert!(
        out.status.success(),
        "activitypub-testing.sh {actor} failed ({}):\n--- stdout\n{}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    node.stop().await;
}
