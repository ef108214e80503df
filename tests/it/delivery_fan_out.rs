//! Fan-out: one POST per distinct inbox, shared inboxes preferred; and the engine's
//! settings are checked.

use std::collections::HashMap;

use crate::helpers::sink::{Sink, add_followers, add_followers_sharing, trust_coop};
use crate::helpers::{Backend, TestNode, count, eventually};

on_both_backends!(a_story_goes_once_to_each_distinct_inbox);

async fn a_story_goes_once_to_each_distinct_inbox(backend: Backend) {
    let node = TestNode::spawn(backend).await;
    node.coop("news").await;
    let (big, small) = (Sink::spawn().await, Sink::spawn().await);
    trust_coop(&node.node, "news", &[big.clone(), small.clone()]).await;
    // Five followers on a server with a shared inbox, three on one without.
    let shared = big.base.join("/inbox").unwrap().to_string();
    let on_big: Vec<String> = (1..=5).map(|n| big.inbox(n)).collect();
    add_followers_sharing(&node.node, "news", &on_big, Some(&shared)).await;
    let on_small: Vec<String> = (1..=3).map(|n| small.inbox(n)).collect();
    add_followers(&node.node, "news", &on_small).await;

    mutual::content::stories::publish(&node.node, "news", "Once each", "Body.", &[])
        .await
        .unwrap();
    eventually(15, "the four deliveries to be sent", || async {
        (count(
            &node,
            "SELECT COUNT(*) FROM deliveries WHERE state = 'done'",
        )
        .await
            == 4)
            .then_some(())
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let mut per_inbox: HashMap<String, usize> = HashMap::new();
    for a in big.arrivals().into_iter().chain(small.arrivals()) {
        *per_inbox.entry(a.inbox).or_default() += 1;
    }
    let mut expected: HashMap<String, usize> = on_small.into_iter().map(|i| (i, 1)).collect();
    expected.insert(shared, 1);
    assert_eq!(
        per_inbox, expected,
        "the shared inbox once, each other inbox once"
    );
    assert_eq!(count(&node, "SELECT COUNT(*) FROM deliveries").await, 4);
}

#[test]
fn bad_delivery_settings_are_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/node.db", dir.path().display());
    for (name, value) in [
        ("MUTUAL_DELIVERY_LEASE_SECS", "0"),
        ("MUTUAL_DELIVERY_LEASE_SECS", "300"),
        ("MUTUAL_DELIVERY_CONCURRENCY", "0"),
        ("MUTUAL_DELIVERY_PER_HOST", "many"),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_mutual"))
            .args(["deliveries", "status"])
            .env("MUTUAL_DATABASE_URL", &db)
            .env(name, value)
            .env_remove("MUTUAL_LOG")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}={value}: {err}");
        assert!(
            err.starts_with("error: ") && err.trim_end().lines().count() == 1,
            "{name}={value}: {err}"
        );
        assert!(
            err.to_lowercase().contains("delivery"),
            "names the setting: {err}"
        );
    }
}
