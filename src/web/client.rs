//! Who is asking: the visitor's address, seen through the node's trusted reverse proxies
//! (`MUTUAL_TRUSTED_PROXIES`). `X-Forwarded-For` is believed only from a trusted proxy, and
//! read from the right, skipping the trusted proxies, so a visitor cannot choose its own
//! address by sending the header itself.

use std::net::IpAddr;

use axum::http::HeaderMap;

/// The visitor's address: the TCP peer, or, when the peer is a trusted proxy, the nearest
/// untrusted address in `X-Forwarded-For`.
pub fn address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse::<IpAddr>().ok())
        .collect();
    forwarded
        .into_iter()
        .rev()
        .find(|a| !trusted.contains(a))
        .unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn forwarded(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn the_header_is_believed_only_from_a_trusted_proxy() {
        let proxy = [ip("127.0.0.1")];
        let h = forwarded("203.0.113.5");
        assert_eq!(address(ip("127.0.0.1"), &h, &proxy), ip("203.0.113.5"));
        assert_eq!(address(ip("198.51.100.7"), &h, &proxy), ip("198.51.100.7"));
        assert_eq!(address(ip("127.0.0.1"), &h, &[]), ip("127.0.0.1"));
    }

    #[test]
    fn a_visitor_cannot_choose_its_address_by_sending_the_header() {
        // The visitor sent "1.2.3.4"; the proxy appended the real address.
        let proxies = [ip("127.0.0.1"), ip("10.0.0.2")];
        let h = forwarded("1.2.3.4, 203.0.113.5, 10.0.0.2");
        assert_eq!(address(ip("127.0.0.1"), &h, &proxies), ip("203.0.113.5"));
        assert_eq!(
            address(ip("127.0.0.1"), &forwarded("junk"), &proxies),
            ip("127.0.0.1")
        );
    }
}
