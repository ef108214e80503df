//! The Fedify peer (tests/peers/fedify-follower.mjs) as a child process: it follows a
//! target, verifies everything it receives, and reports each event as a JSON line.

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, Command};
use tokio::sync::mpsc;
use url::Url;

use super::free_port;

/// How long each wait for a peer's event (or the actor suite) may take.
pub const WAIT: Duration = Duration::from_secs(60);

pub fn peers_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/peers")
}

/// True when the peers are to run. Without `MUTUAL_TEST_PEERS` the test is skipped with the
/// reason printed; with it, a missing `node` or `npm ci` is a failure, not a skip.
pub fn peers_enabled() -> bool {
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

/// `node tests/peers/fedify-follower.mjs`, its JSON events and its stderr.
pub struct FedifyFollower {
    child: Child,
    /// Kept open: the peer exits when its stdin closes.
    stdin: Option<ChildStdin>,
    events: mpsc::UnboundedReceiver<Value>,
    seen: Vec<Value>,
    pub stderr: Arc<Mutex<String>>,
    stderr_reader: tokio::task::JoinHandle<()>,
}

impl FedifyFollower {
    pub async fn spawn(target: &Url, knock: &str) -> FedifyFollower {
        Self::spawn_with(target, knock, &[]).await
    }

    /// Like [`FedifyFollower::spawn`], with the script's opt-in flags (`--accept-follows`,
    /// `--profile JSON`). Waits for the peer's first event; when its port was taken by
    /// another test meanwhile (`EADDRINUSE`), starts it again on another port.
    pub async fn spawn_with(target: &Url, knock: &str, extra_args: &[&str]) -> FedifyFollower {
        for _ in 0..5 {
            let mut peer = Self::start(target, knock, extra_args, free_port());
            match tokio::time::timeout(WAIT, peer.events.recv()).await {
                Ok(Some(event)) => {
                    let port_taken = kind(&event) == "error"
                        && event["stage"] == "startup"
                        && event["message"]
                            .as_str()
                            .is_some_and(|m| m.contains("EADDRINUSE"));
                    if !port_taken {
                        peer.seen.push(event);
                        return peer;
                    }
                }
                // Exited or silent: the test's next wait reports why.
                Ok(None) | Err(_) => return peer,
            }
        }
        panic!("fedify-follower found no free port in 5 tries");
    }

    fn start(target: &Url, knock: &str, extra_args: &[&str], port: u16) -> FedifyFollower {
        let port = port.to_string();
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
    pub async fn command(&mut self, command: Value) {
        let stdin = self.stdin.as_mut().expect("the peer's stdin is open");
        let line = format!("{command}\n");
        stdin
            .write_all(line.as_bytes())
            .await
            .unwrap_or_else(|e| panic!("cannot send {command} to fedify-follower: {e}"));
        stdin.flush().await.unwrap();
    }

    /// The events seen so far, one JSON line each.
    pub fn events_seen(&self) -> String {
        if self.seen.is_empty() {
            return "  (none)".into();
        }
        let lines: Vec<String> = self.seen.iter().map(|e| format!("  {e}")).collect();
        lines.join("\n")
    }

    /// Everything seen so far and the peer's stderr, for failure messages.
    pub fn report(&self) -> String {
        format!(
            "events seen so far:\n{}\npeer stderr (FEDIFY_LOG=debug):\n{}",
            self.events_seen(),
            self.stderr.lock().unwrap()
        )
    }

    /// Panics (with the report) if the peer reported a failed signature, an error or garbage.
    pub fn check_no_failure(&self) {
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
    pub async fn wait_for(&mut self, wanted: &str, matches: impl Fn(&Value) -> bool) -> Value {
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
    pub async fn finish(&mut self) {
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

pub fn kind(event: &Value) -> &str {
    event["event"].as_str().unwrap_or("")
}

/// A string field of an event, or a panic naming it.
pub fn field<'a>(event: &'a Value, pointer: &str) -> &'a str {
    event
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string at {pointer} in {event}"))
}

pub fn strings(event: &Value, pointer: &str) -> Vec<String> {
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
