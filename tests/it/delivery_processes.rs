//! The delivery engine as real `mutual serve` processes: killed with SIGKILL in the middle
//! of a fan-out and restarted; two processes sharing one PostgreSQL queue; SIGTERM.

use std::collections::{HashMap, HashSet};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mutual::app::{AppState, Node};
use mutual::config::Config;
use url::Url;

use crate::helpers::sink::{Sink, add_followers, trust_coop};
use crate::helpers::{
    Backend, TestDatabase, eventually, free_port, fresh_database, http, postgres_url,
};

on_both_backends!(
    a_node_killed_mid_fan_out_reaches_every_inbox_after_restart,
    sigterm_lets_in_flight_deliveries_finish_and_gives_back_the_rest,
);

/// Two `serve` processes on one PostgreSQL database send each delivery once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_serve_processes_share_one_postgres_queue() {
    if postgres_url().is_none() {
        return;
    }
    let db = fresh_database(Backend::Postgres).await;
    // Both processes are one node behind one public URL, as behind a load balancer.
    let public = format!("http://localhost:{}", free_port());
    let (node, sinks) = fan_out_setup(&db, &public, 20, 10).await;
    for sink in &sinks {
        sink.delay(Duration::from_millis(20));
    }
    let mut a = ServeProcess::start(&db.url, &public, &[]).await;
    let mut b = ServeProcess::start(&db.url, &public, &[]).await;
    for title in ["One", "Two", "Three"] {
        mutual::content::stories::publish(&node, "news", title, "Shared queue.", &[])
            .await
            .unwrap();
    }
    let expected = 3 * 200;
    eventually(60, "every inbox to receive the three Creates", || async {
        (creates(&sinks).len() >= expected).then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let arrivals = creates(&sinks);
    let mut per_pair: HashMap<(String, String), usize> = HashMap::new();
    for (inbox, id) in &arrivals {
        *per_pair.entry((inbox.clone(), id.clone())).or_default() += 1;
    }
    let repeated: Vec<_> = per_pair.iter().filter(|(_, n)| **n > 1).collect();
    assert_eq!(
        per_pair.len(),
        expected,
        "every (inbox, activity) pair arrived"
    );
    assert!(repeated.is_empty(), "sent more than once: {repeated:?}");
    assert_eq!(unverified(&sinks), 0);
    a.stop_with_sigterm().await;
    b.stop_with_sigterm().await;
}

async fn a_node_killed_mid_fan_out_reaches_every_inbox_after_restart(backend: Backend) {
    let db = fresh_database(backend).await;
    let public = format!("http://localhost:{}", free_port());
    let (node, sinks) = fan_out_setup(&db, &public, 50, 10).await;
    for sink in &sinks {
        sink.delay(Duration::from_millis(150));
    }
    let lease = [("MUTUAL_DELIVERY_LEASE_SECS", "3")];
    let mut serve = ServeProcess::start(&db.url, &public, &lease).await;
    mutual::content::stories::publish(&node, "news", "Fan-out", "To 500 inboxes.", &[])
        .await
        .unwrap();

    // Kill the node once about half the inboxes have the Create.
    let started = Instant::now();
    while creates(&sinks).len() < 250 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the fan-out never started"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    serve.kill();
    let in_flight_at_kill: usize = sinks.iter().map(Sink::in_flight).sum();
    let arrived_at_kill = creates(&sinks).len();
    assert!(arrived_at_kill < 500, "killed too late to test anything");

    // Restart: the leases of the dead process's claims run out and they are sent again.
    let mut serve = ServeProcess::start(&db.url, &public, &lease).await;
    eventually(60, "every inbox to receive the Create", || async {
        let inboxes: HashSet<String> = creates(&sinks).into_iter().map(|(i, _)| i).collect();
        (inboxes.len() == 500).then_some(())
    })
    .await;
    eventually(30, "the queue to be drained", || async {
        let mut conn = node.db.acquire().await.unwrap();
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM deliveries WHERE state <> 'done'")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        (left == 0).then_some(())
    })
    .await;
    serve.stop_with_sigterm().await;

    let arrivals = creates(&sinks);
    let duplicates = arrivals.len() - 500;
    let ids: HashSet<&String> = arrivals.iter().map(|(_, id)| id).collect();
    eprintln!(
        "crash test ({backend:?}): {arrived_at_kill} inboxes reached before SIGKILL, {in_flight_at_kill} requests in flight at the sinks then, {duplicates} duplicates in all"
    );
    assert_eq!(
        ids.len(),
        1,
        "one activity id, so receivers' dedupe hides repeats"
    );
    assert_eq!(unverified(&sinks), 0, "every request was validly signed");
    // Only what was claimed and not yet recorded as sent can go twice: at most the
    // engine's in-flight window (128 by default), never the ~250 already delivered.
    assert!(
        duplicates <= 128,
        "{duplicates} duplicates exceed the in-flight window"
    );
}

async fn sigterm_lets_in_flight_deliveries_finish_and_gives_back_the_rest(backend: Backend) {
    let db = fresh_database(backend).await;
    let public = format!("http://localhost:{}", free_port());
    let (node, sinks) = fan_out_setup(&db, &public, 2, 4).await;
    let (quick, slow) = (&sinks[0], &sinks[1]);
    quick.delay(Duration::from_secs(2));
    slow.delay(Duration::from_secs(30)); // beyond the client's 10 s timeout
    let mut serve = ServeProcess::start(&db.url, &public, &[]).await;
    mutual::content::stories::publish(&node, "news", "Goodbye", "Shutting down.", &[])
        .await
        .unwrap();
    eventually(30, "all eight deliveries to be in flight", || async {
        (quick.in_flight() == 4 && slow.in_flight() == 4).then_some(())
    })
    .await;

    let asked = Instant::now();
    serve.sigterm();
    let status = serve.wait(Duration::from_secs(20)).await;
    let took = asked.elapsed();
    assert!(
        status.success(),
        "serve exits cleanly on SIGTERM: {status:?}"
    );
    // The slow requests end by their 10 s timeout, inside the 10 s grace period.
    assert!(
        took >= Duration::from_secs(5) && took < Duration::from_secs(13),
        "waited {took:?}: for the deliveries in flight, at most the grace period"
    );

    let mut conn = node.db.acquire().await.unwrap();
    let rows: Vec<(String, String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT host, state, attempts, locked_until FROM deliveries ORDER BY host, inbox",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    for (host, state, attempts, locked) in rows {
        if host == quick.host() {
            assert_eq!(state, "done", "finished within the grace period");
        } else {
            // Timed out (one failed attempt, retried later) or cut off by the grace
            // period (given back unattempted): either way back in the queue, unleased.
            assert_eq!(
                (state.as_str(), locked),
                ("pending", None),
                "back in the queue"
            );
            assert!(attempts <= 1);
        }
    }
}

/// The co-op "news" on a database for a node at `public`, followed by `per_host` users on
/// each of `hosts` sinks that trust its key. Returns an in-process handle on the database
/// (to publish and inspect; it runs no engine) and the sinks.
async fn fan_out_setup(
    db: &TestDatabase,
    public: &str,
    hosts: usize,
    per_host: usize,
) -> (AppState, Vec<Sink>) {
    let config = Config {
        database_url: db.url.clone(),
        public_url: Some(Url::parse(public).unwrap()),
        allow_private_networks: true,
        ..Config::default()
    };
    let node = Node::open(config).await.unwrap();
    let input = mutual::content::profile::ProfileInput {
        name: Some("News co-op".into()),
        nation: Some("england".into()),
        sectors: vec!["film".into()],
        ..Default::default()
    };
    mutual::content::coops::create(&node, "news", &input)
        .await
        .unwrap();
    let sinks = Sink::spawn_many(hosts).await;
    trust_coop(&node, "news", &sinks).await;
    let inboxes: Vec<String> = sinks
        .iter()
        .flat_map(|s| (1..=per_host).map(|n| s.inbox(n)))
        .collect();
    add_followers(&node, "news", &inboxes).await;
    (node, sinks)
}

/// (inbox, activity id) of every Create that reached the sinks.
fn creates(sinks: &[Sink]) -> Vec<(String, String)> {
    sinks
        .iter()
        .flat_map(Sink::arrivals)
        .filter(|a| a.kind == "Create")
        .map(|a| (a.inbox, a.activity_id))
        .collect()
}

fn unverified(sinks: &[Sink]) -> usize {
    sinks.iter().map(Sink::unverified).sum()
}

/// A `mutual serve` child process.
struct ServeProcess {
    child: Child,
    port: u16,
}

impl ServeProcess {
    /// Starts `mutual serve` for the node at `public`, listening on a free port of its own
    /// (nothing connects to the public URL in these tests), and waits until it answers.
    /// A port taken by another test between choosing and binding means another try.
    async fn start(db_url: &str, public: &str, env: &[(&str, &str)]) -> ServeProcess {
        for _ in 0..5 {
            let port = free_port();
            let mut command = Command::new(env!("CARGO_BIN_EXE_mutual"));
            command
                .arg("serve")
                .env("MUTUAL_DATABASE_URL", db_url)
                .env("MUTUAL_BIND", format!("127.0.0.1:{port}"))
                .env("MUTUAL_PUBLIC_URL", public)
                .env("MUTUAL_ALLOW_PRIVATE_NETWORKS", "true")
                .env("MUTUAL_LOG", "warn")
                .stdout(Stdio::null())
                .stderr(Stdio::inherit());
            for (k, v) in env {
                command.env(k, v);
            }
            let mut serve = ServeProcess {
                child: command.spawn().unwrap(),
                port,
            };
            if serve.listening().await {
                return serve;
            }
        }
        panic!("serve could not start on any of 5 ports");
    }

    /// Waits until this process serves NodeInfo (true), or exits (false).
    async fn listening(&mut self) -> bool {
        let url = format!("http://127.0.0.1:{}/.well-known/nodeinfo", self.port);
        let started = Instant::now();
        loop {
            if let Ok(response) = http().get(&url).send().await
                && response.status().is_success()
                && response
                    .text()
                    .await
                    .unwrap_or_default()
                    .contains("nodeinfo")
            {
                return true;
            }
            if self.child.try_wait().unwrap().is_some() {
                return false;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "serve never listened"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGKILL: no clean-up at all.
    fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    fn sigterm(&self) {
        let done = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(done.success());
    }

    async fn wait(&mut self, limit: Duration) -> std::process::ExitStatus {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                started.elapsed() < limit,
                "serve did not exit within {limit:?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    async fn stop_with_sigterm(&mut self) {
        self.sigterm();
        self.wait(Duration::from_secs(20)).await;
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
