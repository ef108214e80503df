//! What `mutual deliveries` shows and does: counts by state, the failing hosts with their
//! last error, and retrying a host now.

use std::collections::BTreeMap;

use serde::Serialize;
use url::Url;

use crate::app::Node;
use crate::{AppError, db};

/// The queue at a glance.
#[derive(Debug, Serialize)]
pub struct Status {
    /// Deliveries by state: pending, done, failed, skipped.
    pub counts: BTreeMap<String, i64>,
    /// Hosts with failures, or with deliveries given up, skipped or being retried.
    pub hosts: Vec<HostStatus>,
}

/// One troubled host.
#[derive(Debug, Serialize)]
pub struct HostStatus {
    pub host: String,
    /// Deliveries waiting for a retry.
    pub retrying: i64,
    pub failed: i64,
    pub skipped: i64,
    /// Distinct days with a failure since the last success.
    pub failure_days: i64,
    pub unavailable: bool,
    pub last_error: Option<String>,
    /// Milliseconds since the epoch.
    pub last_failure_at: Option<i64>,
}

/// Counts by state and the troubled hosts, most recently failing first.
pub async fn status(node: &Node) -> Result<Status, AppError> {
    let mut conn = node.db.acquire().await?;
    let mut counts: BTreeMap<String, i64> = ["pending", "done", "failed", "skipped"]
        .into_iter()
        .map(|s| (s.to_string(), 0))
        .collect();
    counts.extend(db::deliveries::count_by_state(&mut conn).await?);
    let mut hosts: BTreeMap<String, HostStatus> = BTreeMap::new();
    for row in db::delivery_hosts::list(&mut conn).await? {
        hosts.insert(
            row.host.clone(),
            HostStatus {
                host: row.host,
                retrying: 0,
                failed: 0,
                skipped: 0,
                failure_days: row.failure_days,
                unavailable: row.unavailable_since.is_some(),
                last_error: row.last_error,
                last_failure_at: row.last_failure_at,
            },
        );
    }
    for (host, retrying, failed, skipped) in db::deliveries::unfinished_by_host(&mut conn).await? {
        let entry = hosts.entry(host.clone()).or_insert_with(|| HostStatus {
            host,
            retrying: 0,
            failed: 0,
            skipped: 0,
            failure_days: 0,
            unavailable: false,
            last_error: None,
            last_failure_at: None,
        });
        entry.retrying = retrying;
        entry.failed = failed;
        entry.skipped = skipped;
    }
    let mut hosts: Vec<HostStatus> = hosts.into_values().collect();
    hosts.sort_by(|a, b| {
        b.last_failure_at
            .cmp(&a.last_failure_at)
            .then(a.host.cmp(&b.host))
    });
    Ok(Status { counts, hosts })
}

/// Makes a host's failed, skipped and waiting deliveries due now; the engine sends them
/// even while the host is marked unavailable, and a success clears the mark. `host` is
/// `host[:port]` or a URL on it. Returns how many deliveries were queued.
pub async fn retry_host(node: &Node, host: &str) -> Result<u64, AppError> {
    let host = normalise_host(host)?;
    let mut conn = node.db.acquire().await?;
    let queued = db::deliveries::retry_host(&mut conn, &host, node.clock.now_ms()).await?;
    if queued == 0 && db::delivery_hosts::find(&mut conn, &host).await?.is_none() {
        return Err(AppError::NotFound(format!(
            "no failed, skipped or waiting deliveries to {host}"
        )));
    }
    node.deliveries_queued.notify_one();
    Ok(queued)
}

/// `host[:port]` from what an admin typed: a bare host, `host:port`, or a URL.
fn normalise_host(input: &str) -> Result<String, AppError> {
    let input = input.trim();
    let bad = || {
        AppError::Invalid(format!(
            "{input:?} is not a host: give host, host:port or a URL"
        ))
    };
    let url = if input.contains("://") {
        Url::parse(input).map_err(|_| bad())?
    } else {
        Url::parse(&format!("https://{input}/")).map_err(|_| bad())?
    };
    if url.host_str().is_none_or(str::is_empty) || (!input.contains("://") && input.contains('/')) {
        return Err(bad());
    }
    // A bare `host:443` becomes `host`, as an https inbox on its default port is stored.
    Ok(crate::config::authority(&url).to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::normalise_host;

    #[test]
    fn hosts_are_read_as_they_are_stored() {
        assert_eq!(normalise_host("Example.org").unwrap(), "example.org");
        assert_eq!(normalise_host("localhost:8080").unwrap(), "localhost:8080");
        assert_eq!(
            normalise_host("http://localhost:8080/inbox").unwrap(),
            "localhost:8080"
        );
        assert_eq!(
            normalise_host("https://example.org/x").unwrap(),
            "example.org"
        );
        assert!(normalise_host("").is_err());
        assert!(normalise_host("exa mple").is_err());
        assert!(normalise_host("example.org/inbox").is_err());
    }
}
