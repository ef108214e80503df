//! Moderation (issue #7): the node admin's domain blocks, co-ops' actor blocks, the purge
//! of what was stored from a blocked source, and reports (incoming `Flag`s). The CLI, the
//! web and the inbox call these; they call `db` and, to withdraw follows, `federation`.
//!
//! A domain block is a host (`example.com`) or a host and port (`localhost:8080`). It
//! covers the host and its subdomains; without a port, every port.

pub mod actors;
pub mod domains;
pub mod purge;
pub mod reports;

use url::Url;

use crate::app::Node;
use crate::{AppError, db};

pub use purge::purge_domain;

/// Whether `url` (an actor, key, object or activity id) is on a blocked domain. Anything
/// that is not an absolute URL with a host is not blocked. Others call this, e.g. to drop
/// an Announce of an object from a blocked domain.
pub async fn blocked(node: &Node, url: impl AsRef<str>) -> Result<bool, AppError> {
    let Ok(url) = Url::parse(url.as_ref()) else {
        return Ok(false);
    };
    let candidates = domain_candidates(&url);
    let mut conn = node.db.acquire().await?;
    Ok(db::blocks::any_domain(&mut conn, &candidates).await?)
}

/// Refuses a co-op's follow of an actor on a blocked domain, or of an actor it blocked.
pub async fn refuse_follow(node: &Node, coop_id: i64, target: &Url) -> Result<(), AppError> {
    if blocked(node, target).await? {
        return Err(AppError::Forbidden(format!(
            "target: {} is on a domain this node blocks",
            crate::config::authority(target)
        )));
    }
    let mut conn = node.db.acquire().await?;
    let blocked_by_coop = db::blocks::actors(&mut conn, coop_id)
        .await?
        .iter()
        .any(|(actor, _)| actor == target.as_str());
    if blocked_by_coop {
        return Err(AppError::Forbidden(format!(
            "target: {target} is blocked by this co-op; unblock it first"
        )));
    }
    Ok(())
}

/// Turns what an admin typed (`example.com`, `Example.COM:8443`, or a URL) into the stored
/// form of a domain block: the lowercase host, with the port only when one is named.
pub fn normalise_domain(input: &str) -> Result<String, AppError> {
    let text = input.trim();
    let invalid = || {
        AppError::Invalid(format!(
            "domain: '{text}' is not a host name (example.org, or host:port)"
        ))
    };
    if text.is_empty() || text.contains(char::is_whitespace) {
        return Err(invalid());
    }
    let url = if text.contains("://") {
        Url::parse(text).map_err(|_| invalid())?
    } else {
        let url = Url::parse(&format!("http://{text}")).map_err(|_| invalid())?;
        if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
            return Err(invalid());
        }
        url
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid());
    }
    let host = url.host_str().ok_or_else(invalid)?.trim_end_matches('.');
    if host.is_empty() {
        return Err(invalid());
    }
    Ok(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    })
}

/// The stored domain blocks that would cover `url`: its host and each parent domain, each
/// alone and with the URL's port.
pub fn domain_candidates(url: &Url) -> Vec<String> {
    let Some(host) = url.host() else {
        return Vec::new();
    };
    let port = url.port_or_known_default();
    let names: Vec<String> = match host {
        url::Host::Domain(domain) => {
            let domain = domain.trim_end_matches('.').to_ascii_lowercase();
            let labels: Vec<&str> = domain.split('.').collect();
            (0..labels.len()).map(|i| labels[i..].join(".")).collect()
        }
        other => vec![other.to_string()],
    };
    let mut candidates = Vec::with_capacity(names.len() * 2);
    for name in names {
        if let Some(port) = port {
            candidates.push(format!("{name}:{port}"));
        }
        candidates.push(name);
    }
    candidates
}

/// Whether a domain block covers `url` (the same rule as [`blocked`], without the database).
pub fn covers(domain: &str, url: &Url) -> bool {
    domain_candidates(url).iter().any(|c| c == domain)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn domains_are_stored_lowercase_with_a_port_only_when_named() {
        assert_eq!(normalise_domain(" Example.ORG ").unwrap(), "example.org");
        assert_eq!(
            normalise_domain("localhost:8080").unwrap(),
            "localhost:8080"
        );
        assert_eq!(
            normalise_domain("https://spam.example/users/x").unwrap(),
            "spam.example"
        );
        assert_eq!(normalise_domain("example.org.").unwrap(), "example.org");
        for bad in ["", "a b", "example.org/path", "user@example.org", "http://"] {
            assert!(normalise_domain(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_block_covers_the_host_its_subdomains_and_every_port_unless_one_is_named() {
        let url = u("https://a.spam.example/users/x");
        assert!(covers("spam.example", &url));
        assert!(covers("a.spam.example", &url));
        assert!(covers("spam.example:443", &url));
        assert!(!covers("spam.example:8443", &url));
        assert!(!covers("am.example", &url));
        assert!(!covers("notspam.example", &u("https://spam.example/")));
        let local = u("http://localhost:18181/coops/x");
        assert!(covers("localhost:18181", &local));
        assert!(covers("localhost", &local));
        assert!(!covers("localhost:18182", &local));
    }
}
