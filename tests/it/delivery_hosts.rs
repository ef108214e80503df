//! Hosts that stay down: a host failing on 7 separate days is marked unavailable and
//! skipped; `mutual deliveries retry` and a success clear the mark, and so does a signed
//! activity from the host. Runs under paused tokio time (a day is one `advance`).

use std::process::Output;
use std::time::Duration;

use mutual::db::delivery_hosts::HostRow;
use serde_json::{Value, json};

use crate::helpers::sink::{Reply, Sink, Spinner, add_followers, idle, trust_coop, until};
use crate::helpers::{Backend, TestNode};

on_both_backends_current_thread!(
    a_host_down_seven_days_is_skipped_until_a_success,
    a_signed_activity_from_an_unavailable_host_clears_the_mark,
);

const DAY: Duration = Duration::from_secs(24 * 3600);

fn cli(node: &TestNode, args: &[&str]) -> Output {
    crate::helpers::cli::mutual(&node.db.url, node.base.as_str(), &[], args)
}

async fn record(node: &TestNode, host: &str) -> Option<HostRow> {
    let mut conn = node.node.db.acquire().await.unwrap();
    mutual::db::delivery_hosts::find(&mut conn, host)
        .await
        .unwrap()
}

async fn states(node: &TestNode, host: &str) -> Vec<(String, i64)> {
    let mut conn = node.node.db.acquire().await.unwrap();
    sqlx::query_as(
        "SELECT state, COUNT(*) FROM deliveries WHERE host = $1 GROUP BY state ORDER BY state",
    )
    .bind(host)
    .fetch_all(&mut *conn)
    .await
    .unwrap()
}

async fn publish(node: &TestNode, title: &str) {
    mutual::content::stories::publish(&node.node, "news", title, "Body.", &[])
        .await
        .unwrap();
}

/// A node (engine on tokio's clock) whose co-op "news" is followed by user 1 of a sink
/// that answers 503; the clock is paused.
async fn setup(backend: Backend) -> (TestNode, Sink, Spinner) {
    let node = TestNode::spawn_on_tokio_clock(backend).await;
    node.coop("news").await;
    let sink = Sink::spawn().await;
    trust_coop(&node.node, "news", std::slice::from_ref(&sink)).await;
    add_followers(&node.node, "news", &[sink.inbox(1)]).await;
    sink.answer(Reply::status(503));
    let spin = Spinner::start();
    tokio::time::pause();
    (node, sink, spin)
}

/// Waits until no delivery is out (claimed and not yet recorded), so moving the clock
/// cannot time out a request in flight.
async fn quiet(node: &TestNode) {
    until(30, "no delivery in flight", false, || async {
        let mut conn = node.node.db.acquire().await.unwrap();
        let out: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM deliveries WHERE state = 'pending' AND locked_until IS NOT NULL",
        )
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        (out == 0).then_some(())
    })
    .await;
}

/// Publishes a story a day for seven days; each day's attempts fail. Returns the host's
/// record at the end, by then unavailable.
async fn fail_for_seven_days(node: &TestNode, sink: &Sink) -> HostRow {
    let host = sink.host();
    for day in 1..=7 {
        // Retries of earlier days' stories fail today too; any of them counts the day.
        publish(node, &format!("Day {day}")).await;
        until(30, "today's failed attempt to be counted", true, || async {
            record(node, &host).await.filter(|r| r.failure_days >= day)
        })
        .await;
        if day < 7 {
            let row = record(node, &host).await.unwrap();
            assert!(
                row.unavailable_since.is_none(),
                "not yet on day {day}: {row:?}"
            );
            quiet(node).await;
            tokio::time::advance(DAY).await;
        }
    }
    let (row, _) = until(30, "the host to be marked unavailable", false, || async {
        record(node, &host)
            .await
            .filter(|r| r.unavailable_since.is_some())
    })
    .await;
    assert_eq!(row.failure_days, 7);
    row
}

/// After the mark: nothing waits for the host, a new story is skipped, and nothing is sent.
async fn assert_skipped(node: &TestNode, sink: &Sink) {
    let host = sink.host();
    // Rows already claimed when the mark was set may still go out: wait until the queue
    // and the sink have been still for a while.
    let mut last = (Vec::new(), usize::MAX);
    let waiting = loop {
        quiet(node).await;
        idle(300).await;
        let now = (states(node, &host).await, sink.arrivals().len());
        if now == last && !now.0.iter().any(|(state, _)| state == "pending") {
            break now.0;
        }
        last = now;
    };
    assert!(
        waiting
            .iter()
            .any(|(state, n)| state == "skipped" && *n >= 7),
        "{waiting:?}"
    );
    let before = sink.arrivals().len();
    publish(node, "While you were away").await;
    quiet(node).await;
    tokio::time::advance(Duration::from_secs(3600)).await;
    idle(700).await;
    assert_eq!(
        sink.arrivals().len(),
        before,
        "nothing is sent to an unavailable host"
    );
    let s = states(node, &host).await;
    assert!(!s.iter().any(|(state, _)| state == "pending"), "{s:?}");
}

async fn a_host_down_seven_days_is_skipped_until_a_success(backend: Backend) {
    let (node, sink, _spin) = setup(backend).await;
    let host = sink.host();
    fail_for_seven_days(&node, &sink).await;
    assert_skipped(&node, &sink).await;

    // The admin sees it.
    let out = cli(&node, &["--json", "deliveries", "status"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let status: Value = serde_json::from_slice(&out.stdout).unwrap();
    let listed = status["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["host"] == json!(host))
        .cloned()
        .unwrap_or_else(|| panic!("{status}"));
    assert_eq!(listed["unavailable"], json!(true));
    assert_eq!(listed["failure_days"], json!(7), "{listed}");
    assert!(
        listed["last_error"].as_str().unwrap().contains("503"),
        "{listed}"
    );
    assert!(status["counts"]["skipped"].as_i64().unwrap() >= 8);

    // The host is back; the admin retries it; the success clears the mark.
    sink.answer(Reply::status(202));
    let out = cli(&node, &["--json", "deliveries", "retry", &host]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let queued: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(queued["queued"].as_i64().unwrap() >= 8, "{queued}");
    until(30, "the mark to be cleared by a success", true, || async {
        record(&node, &host).await.is_none().then_some(())
    })
    .await;
    let (s, _) = until(30, "every story to be delivered", true, || async {
        let s = states(&node, &host).await;
        (s.len() == 1 && s[0].0 == "done").then_some(s)
    })
    .await;
    assert_eq!(s[0].1, 8, "seven days' stories and the skipped one");
    let delivered: Vec<_> = sink
        .arrivals()
        .into_iter()
        .filter(|a| a.status == 202)
        .collect();
    assert_eq!(delivered.len(), 8);

    // New stories go out again.
    publish(&node, "Back to normal").await;
    until(30, "a new story to arrive", true, || async {
        (sink.arrivals().iter().filter(|a| a.status == 202).count() == 9).then_some(())
    })
    .await;

    let unknown = cli(&node, &["deliveries", "retry", "nowhere.example"]);
    assert!(!unknown.status.success());
    let err = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        err.starts_with("error: ") && err.contains("nowhere.example") && err.lines().count() == 1,
        "{err}"
    );
}

async fn a_signed_activity_from_an_unavailable_host_clears_the_mark(backend: Backend) {
    let (node, sink, _spin) = setup(backend).await;
    let host = sink.host();
    fail_for_seven_days(&node, &sink).await;
    assert_skipped(&node, &sink).await;

    // Someone on that host follows the co-op: a signed activity proves the host is up.
    sink.answer(Reply::status(202));
    let actor = sink.actor(2);
    let follow = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}#follows/1", actor.id),
        "type": "Follow",
        "actor": actor.id,
        "object": node.actor("news"),
    });
    let inbox = url::Url::parse(&format!("{}/inbox", node.actor("news"))).unwrap();
    let (status, text) = actor.post(&inbox, follow.to_string().as_bytes()).await;
    assert_eq!(status, 202, "{text}");
    until(30, "the mark to be cleared", false, || async {
        record(&node, &host).await.is_none().then_some(())
    })
    .await;

    // Deliveries to the host resume (the skipped ones stay skipped, as in Mastodon).
    let before = sink.arrivals().len();
    publish(&node, "Hello again").await;
    until(30, "the new story to arrive", true, || async {
        sink.arrivals()[before..]
            .iter()
            .any(|a| a.kind == "Create" && a.status == 202)
            .then_some(())
    })
    .await;
    let s = states(&node, &host).await;
    assert!(s.iter().any(|(state, _)| state == "skipped"), "{s:?}");
}
