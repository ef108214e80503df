//! The retry schedule, checked under paused tokio time: the node's engine runs on tokio's
//! clock, the sinks are real HTTP servers on loopback that verify signatures, and the test
//! moves the clock from one due attempt to the next.

use std::time::Duration;

use mutual::delivery::schedule::{MAX_ATTEMPTS, backoff};

use crate::helpers::sink::{Reply, Sink, Spinner, add_followers, idle, trust_coop, until};
use crate::helpers::{Backend, TestNode, eventually};

on_both_backends_current_thread!(
    recovers_after_five_503s_on_schedule,
    gives_up_after_sixteen_attempts_over_two_days,
    waits_as_long_as_retry_after_asks,
);
on_both_backends!(a_410_removes_the_follower_and_is_not_retried);

/// A node with co-op "news" followed by user 1 of a sink.
async fn node_and_sink(backend: Backend, tokio_clock: bool) -> (TestNode, Sink) {
    let node = if tokio_clock {
        TestNode::spawn_on_tokio_clock(backend).await
    } else {
        TestNode::spawn(backend).await
    };
    node.coop("news").await;
    let sink = Sink::spawn().await;
    trust_coop(&node.node, "news", std::slice::from_ref(&sink)).await;
    add_followers(&node.node, "news", &[sink.inbox(1)]).await;
    (node, sink)
}

async fn publish(node: &TestNode) {
    mutual::content::stories::publish(&node.node, "news", "Open studio", "Come and see.", &[])
        .await
        .unwrap();
}

/// A delivery row: (state, attempts, next_attempt_at, last_error).
type Row = (String, i64, i64, Option<String>);

async fn row(node: &TestNode, activity: &str, inbox: &str) -> Option<Row> {
    let mut conn = node.node.db.acquire().await.unwrap();
    mutual::db::deliveries::find(&mut conn, activity, inbox)
        .await
        .unwrap()
}

/// Waits (in real time, the clock standing still) until the row has `attempts` attempts.
async fn recorded(node: &TestNode, activity: &str, inbox: &str, attempts: i64) -> Row {
    until(30, "the attempt to be recorded", false, || async {
        row(node, activity, inbox).await.filter(|r| r.1 == attempts)
    })
    .await
    .0
}

/// Waits (in real time) until the row is marked sent.
async fn sent(node: &TestNode, activity: &str, inbox: &str) -> Row {
    until(30, "the delivery to be marked sent", false, || async {
        row(node, activity, inbox).await.filter(|r| r.0 == "done")
    })
    .await
    .0
}

/// Waits for the `n`-th arrival at the sink (1-based), nudging the clock if the engine
/// was left waiting on its poll timer.
async fn arrival(sink: &Sink, n: usize) -> crate::helpers::sink::Arrival {
    until(30, "an attempt to arrive", true, || async {
        sink.arrivals().get(n - 1).cloned()
    })
    .await
    .0
}

fn ms(d: Duration) -> i64 {
    d.as_millis() as i64
}

/// Follows `attempts` failed attempts, checking each wait the engine chose against the
/// schedule and moving the clock to it; returns the activity id.
async fn walk_failures(node: &TestNode, sink: &Sink, attempts: i64) -> String {
    let inbox = sink.inbox(1);
    let mut activity = String::new();
    for k in 1..=attempts {
        let got = arrival(sink, k as usize).await;
        activity = got.activity_id.clone();
        let (state, _, next_at, error) = recorded(node, &activity, &inbox, k).await;
        if k == MAX_ATTEMPTS {
            assert_eq!(state, "failed", "gave up after the last attempt");
            break;
        }
        assert_eq!(state, "pending", "attempt {k}: {error:?}");
        let wait = next_at - node.node.clock.now_ms();
        let (least, most) = (ms(backoff(k, 0)), ms(backoff(k, 9)));
        assert!(
            (least..=most).contains(&wait),
            "after failure {k} the engine waits {wait} ms, not {least}..={most}"
        );
        tokio::time::advance(Duration::from_millis(wait as u64)).await;
    }
    activity
}

/// The gaps between arrivals are the schedule's waits (plus at most a few half-second
/// nudges of the clock).
fn assert_gaps_follow_the_schedule(sink: &Sink) {
    let arrivals = sink.arrivals();
    for (k, pair) in arrivals.windows(2).enumerate() {
        let failed = k as i64 + 1;
        let gap = pair[1].at - pair[0].at;
        assert!(
            gap >= backoff(failed, 0) && gap <= backoff(failed, 9) + Duration::from_secs(2),
            "gap after failure {failed}: {gap:?}"
        );
    }
}

async fn recovers_after_five_503s_on_schedule(backend: Backend) {
    let (node, sink) = node_and_sink(backend, true).await;
    sink.script(std::iter::repeat_n(Reply::status(503), 5));
    let _spin = Spinner::start();
    tokio::time::pause();
    publish(&node).await;

    let activity = walk_failures(&node, &sink, 5).await;
    let sixth = arrival(&sink, 6).await;
    assert_eq!(sixth.status, 202);
    sent(&node, &activity, &sink.inbox(1)).await;
    assert_gaps_follow_the_schedule(&sink);
    let total = sixth.at - sink.arrivals()[0].at;
    let least: Duration = (1..=5).map(|k| backoff(k, 0)).sum();
    assert!(total >= least, "{total:?}");

    // Nothing more is ever sent: the Create arrived once (after five refusals).
    tokio::time::advance(Duration::from_secs(3 * 24 * 3600)).await;
    idle(700).await;
    let statuses: Vec<u16> = sink.arrivals().iter().map(|a| a.status).collect();
    assert_eq!(statuses, [503, 503, 503, 503, 503, 202]);
    assert_eq!(
        sink.unverified(),
        0,
        "every attempt was freshly and validly signed"
    );
    let ids: std::collections::HashSet<String> =
        sink.arrivals().into_iter().map(|a| a.activity_id).collect();
    assert_eq!(ids.len(), 1, "the same activity each time");
}

async fn gives_up_after_sixteen_attempts_over_two_days(backend: Backend) {
    let (node, sink) = node_and_sink(backend, true).await;
    sink.answer(Reply::status(503));
    let _spin = Spinner::start();
    tokio::time::pause();
    publish(&node).await;

    let activity = walk_failures(&node, &sink, MAX_ATTEMPTS).await;
    assert_gaps_follow_the_schedule(&sink);
    let arrivals = sink.arrivals();
    let span = arrivals[arrivals.len() - 1].at - arrivals[0].at;
    let days = span.as_secs_f64() / 86_400.0;
    assert!((2.0..3.0).contains(&days), "gave up after {days:.2} days");
    let (state, attempts, _, error) = row(&node, &activity, &sink.inbox(1)).await.unwrap();
    assert_eq!((state.as_str(), attempts), ("failed", MAX_ATTEMPTS));
    assert!(error.unwrap().contains("503"));

    tokio::time::advance(Duration::from_secs(3 * 24 * 3600)).await;
    idle(700).await;
    assert_eq!(
        sink.arrivals().len(),
        MAX_ATTEMPTS as usize,
        "no 17th attempt"
    );
    // Three calendar days of failures: not yet an unavailable host.
    let mut conn = node.node.db.acquire().await.unwrap();
    let host = mutual::db::delivery_hosts::find(&mut conn, &sink.host())
        .await
        .unwrap()
        .unwrap();
    assert!((2..=4).contains(&host.failure_days), "{host:?}");
    assert!(host.unavailable_since.is_none());
}

async fn waits_as_long_as_retry_after_asks(backend: Backend) {
    let (node, sink) = node_and_sink(backend, true).await;
    sink.script([Reply {
        status: 429,
        retry_after: Some("120".into()),
    }]);
    let _spin = Spinner::start();
    tokio::time::pause();
    publish(&node).await;

    let first = arrival(&sink, 1).await;
    let (state, _, next_at, _) = recorded(&node, &first.activity_id, &sink.inbox(1), 1).await;
    assert_eq!(state, "pending");
    assert_eq!(
        next_at - node.node.clock.now_ms(),
        120_000,
        "Retry-After: 120 outweighs the 16–34 s backoff"
    );
    tokio::time::advance(Duration::from_secs(119)).await;
    idle(700).await;
    assert_eq!(
        sink.arrivals().len(),
        1,
        "nothing before Retry-After has passed"
    );
    tokio::time::advance(Duration::from_secs(1)).await;
    let second = arrival(&sink, 2).await;
    assert_eq!(second.status, 202);
    assert!(second.at - first.at >= Duration::from_secs(120));
    sent(&node, &first.activity_id, &sink.inbox(1)).await;
}

async fn a_410_removes_the_follower_and_is_not_retried(backend: Backend) {
    let (node, gone) = node_and_sink(backend, false).await;
    gone.answer(Reply::status(410));
    let alive = Sink::spawn().await;
    trust_coop(&node.node, "news", std::slice::from_ref(&alive)).await;
    add_followers(&node.node, "news", &[alive.inbox(1)]).await;
    publish(&node).await;

    let n = node.node.clone();
    let follower_of = |inbox: String| {
        let n = n.clone();
        async move {
            mutual::content::followers::list(&n, "news", None)
                .await
                .unwrap()
                .into_iter()
                .any(|f| f.inbox == inbox)
        }
    };
    let gone_inbox = gone.inbox(1);
    eventually(15, "the follower whose inbox is gone to be removed", || {
        let check = follower_of(gone_inbox.clone());
        async move { (!check.await).then_some(()) }
    })
    .await;
    assert!(
        follower_of(alive.inbox(1)).await,
        "the other follower stays"
    );
    assert_eq!(alive.arrivals().len(), 1);
    let activity = gone.arrivals()[0].activity_id.clone();
    let (state, attempts, _, error) = row(&node, &activity, &gone.inbox(1)).await.unwrap();
    assert_eq!((state.as_str(), attempts), ("failed", 1));
    assert!(error.unwrap().contains("410"));
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(gone.arrivals().len(), 1, "a 410 is not retried");
}
