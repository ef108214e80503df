//! Behind a reverse proxy (`MUTUAL_TRUSTED_PROXIES`), the log-in limit counts each visitor
//! by the address the proxy forwards, so one visitor's guesses do not lock out everyone
//! else; without the setting, the header is ignored and cannot be used to dodge the limit.

use super::*;
use crate::helpers::http;

/// A failed log-in attempt as a visitor at `forwarded_for` (through a proxy on loopback).
async fn attempt(node: &TestNode, user: &str, forwarded_for: &str) -> StatusCode {
    let client = http();
    let form = client
        .get(node.base.join("/login").unwrap())
        .send()
        .await
        .unwrap();
    let cookie = form
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("mutual_csrf="))
        .map(|c| c.split(';').next().unwrap().to_string())
        .unwrap();
    let token = cookie.trim_start_matches("mutual_csrf=").to_string();
    let r = client
        .post(node.base.join("/login").unwrap())
        .header("cookie", cookie)
        .header("x-forwarded-for", forwarded_for)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "csrf={token}&username={user}&password=wrong+password"
        ))
        .send()
        .await
        .unwrap();
    StatusCode::from_u16(r.status().as_u16()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_trusted_proxy_each_visitor_has_its_own_log_in_limit() {
    let node = TestNode::spawn_behind_proxy(Backend::Sqlite).await;
    for i in 0..20 {
        let status = attempt(&node, &format!("guess{i}"), "203.0.113.5").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    assert_eq!(
        attempt(&node, "guess20", "203.0.113.5").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another visitor through the same proxy is not locked out.
    assert_eq!(
        attempt(&node, "someone", "198.51.100.9").await,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_trusted_proxies_a_forged_header_does_not_dodge_the_limit() {
    let node = TestNode::spawn(Backend::Sqlite).await;
    for i in 0..20 {
        let status = attempt(&node, &format!("guess{i}"), &format!("203.0.113.{i}")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    assert_eq!(
        attempt(&node, "guess20", "198.51.100.9").await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[test]
fn a_malformed_trusted_proxy_is_a_one_line_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/node.db", dir.path().display());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mutual"))
        .args(["migrate"])
        .env("MUTUAL_DATABASE_URL", &db)
        .env("MUTUAL_TRUSTED_PROXIES", "127.0.0.1, the-proxy")
        .env_remove("MUTUAL_LOG")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.starts_with("error: ") && err.trim_end().lines().count() == 1,
        "{err}"
    );
    assert!(err.contains("MUTUAL_TRUSTED_PROXIES: 'the-proxy'"), "{err}");
}
