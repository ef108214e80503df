//! Origins (scheme, host and port): the unit of trust between servers.
//! The federation crate's `verify_domains_match` ignores ports; this does not.

use url::Url;

/// Whether two URLs share scheme, host and port (default ports made explicit).
pub fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// `scheme://host[:port]` of a URL, for messages.
pub fn origin_of(url: &Url) -> String {
    url.origin().ascii_serialization()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn ports_make_distinct_origins() {
        assert!(same_origin(
            &u("http://localhost:1/a"),
            &u("http://localhost:1/b#c")
        ));
        assert!(!same_origin(
            &u("http://localhost:1/a"),
            &u("http://localhost:2/a")
        ));
        assert!(same_origin(
            &u("https://x.org/a"),
            &u("https://x.org:443/b")
        ));
        assert!(!same_origin(&u("https://x.org/a"), &u("http://x.org/a")));
        assert!(!same_origin(
            &u("https://x.org/a"),
            &u("https://evil.x.org/a")
        ));
    }
}
