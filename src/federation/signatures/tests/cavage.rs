//! draft-cavage signing and verification, with http-signature-normalization as a cross-check.

use chrono::Duration;
use http::Method;

use super::super::cavage::sign_request_at;
use super::super::{DEFAULT_WINDOW, Scheme, SignatureError, parse};
use super::{KEY_ID, Req, now, other_key, test_key};

const BODY: &[u8] = br#"{"type":"Follow","actor":"https://mutual.example/actor"}"#;

fn signed_post() -> Req {
    let mut req = Req::new(
        Method::POST,
        "https://remote.example/users/alice/inbox",
        BODY,
    );
    let (_, key) = test_key();
    sign_request_at(
        &req.method,
        &req.url,
        &mut req.headers,
        Some(BODY),
        KEY_ID,
        key,
        now(),
    )
    .unwrap();
    req
}

fn signed_get(url: &str) -> Req {
    let mut req = Req::new(Method::GET, url, b"");
    let (_, key) = test_key();
    sign_request_at(
        &req.method,
        &req.url,
        &mut req.headers,
        None,
        KEY_ID,
        key,
        now(),
    )
    .unwrap();
    req
}

fn refusal(req: &Req) -> SignatureError {
    parse(&req.incoming(), now(), DEFAULT_WINDOW).unwrap_err()
}

#[test]
fn signed_post_round_trips_with_mastodon_shaped_headers() {
    let req = signed_post();
    assert_eq!(req.get("host"), "remote.example");
    assert!(req.get("digest").starts_with("SHA-256="));
    let sig = req.get("signature");
    assert!(
        sig.starts_with(&format!(r#"keyId="{KEY_ID}",algorithm="hs2019","#)),
        "{sig}"
    );
    assert!(
        sig.contains(r#"headers="(request-target) date digest host""#),
        "{sig}"
    );
    let parsed = parse(&req.incoming(), now(), DEFAULT_WINDOW).unwrap();
    assert_eq!(parsed.scheme(), Scheme::Cavage);
    assert_eq!(parsed.key_id().as_str(), KEY_ID);
    assert!(
        parsed
            .signed_message()
            .starts_with("(request-target): post /users/alice/inbox\ndate: ")
    );
    assert!(parsed.signed_message().ends_with("\nhost: remote.example"));
    parsed.verify(&test_key().0.public_key_pem).unwrap();
}

#[test]
fn signed_get_round_trips_without_digest_and_keeps_port_and_query() {
    let req = signed_get("http://localhost:8080/users/alice/outbox?page=2");
    assert_eq!(req.get("host"), "localhost:8080");
    assert!(req.headers.get("digest").is_none());
    assert!(
        req.get("signature")
            .contains(r#"headers="(request-target) date host""#)
    );
    let parsed = parse(&req.incoming(), now(), DEFAULT_WINDOW).unwrap();
    assert!(
        parsed
            .signed_message()
            .starts_with("(request-target): get /users/alice/outbox?page=2\ndate: ")
            && parsed.signed_message().ends_with("\nhost: localhost:8080")
    );
    parsed.verify(&test_key().0.public_key_pem).unwrap();
}

#[test]
fn tampered_body_is_a_digest_mismatch() {
    let mut req = signed_post();
    req.body = br#"{"type":"Delete"}"#.to_vec();
    assert!(matches!(refusal(&req), SignatureError::DigestMismatch));
}

#[test]
fn tampered_signed_header_is_invalid() {
    let mut req = signed_post();
    req.set("host", "evil.example");
    let parsed = parse(&req.incoming(), now(), DEFAULT_WINDOW).unwrap();
    let err = parsed.verify(&test_key().0.public_key_pem).unwrap_err();
    assert!(matches!(err, SignatureError::Invalid));
}

#[test]
fn another_actors_key_is_invalid() {
    let parsed = parse(&signed_post().incoming(), now(), DEFAULT_WINDOW).unwrap();
    let err = parsed.verify(&other_key().public_key_pem).unwrap_err();
    assert!(matches!(err, SignatureError::Invalid));
}

#[test]
fn old_or_future_dates_are_refused() {
    let req = signed_post();
    let late = parse(
        &req.incoming(),
        now() + Duration::minutes(61),
        DEFAULT_WINDOW,
    )
    .unwrap_err();
    assert!(matches!(late, SignatureError::Stale));
    let early = parse(
        &req.incoming(),
        now() - Duration::minutes(61),
        DEFAULT_WINDOW,
    )
    .unwrap_err();
    assert!(matches!(early, SignatureError::InFuture));
    parse(
        &req.incoming(),
        now() + Duration::minutes(59),
        DEFAULT_WINDOW,
    )
    .unwrap();
}

#[test]
fn a_post_whose_signature_omits_digest_is_refused() {
    let mut req = signed_post();
    let sig = with_headers_list(req.get("signature"), "(request-target) host date");
    req.set("signature", &sig);
    assert!(matches!(refusal(&req), SignatureError::HeaderNotSigned(h) if h == "digest"));
    req.headers.remove("digest");
    assert!(matches!(refusal(&req), SignatureError::MissingDigest));
}

#[test]
fn a_get_must_sign_request_target_host_and_date() {
    for (list, missing) in [
        ("host date", "(request-target)"),
        ("(request-target) date", "host"),
        ("(request-target) host", "date"),
    ] {
        let mut req = signed_get("https://remote.example/users/alice");
        let sig = with_headers_list(req.get("signature"), list);
        req.set("signature", &sig);
        let err = refusal(&req);
        assert!(
            matches!(&err, SignatureError::HeaderNotSigned(h) if h == missing),
            "{err}"
        );
    }
}

/// Replaces the `headers="..."` list of a cavage Signature header.
fn with_headers_list(sig: &str, list: &str) -> String {
    let start = sig.find("headers=\"").unwrap() + "headers=\"".len();
    let end = start + sig[start..].find('"').unwrap();
    format!("{}{list}{}", &sig[..start], &sig[end..])
}

#[test]
fn unsigned_requests_and_bad_key_ids_are_refused() {
    let req = Req::new(Method::POST, "https://remote.example/inbox", BODY);
    assert!(matches!(refusal(&req), SignatureError::Missing));
    let mut req = signed_post();
    let sig = req.get("signature").replace(KEY_ID, "main-key");
    req.set("signature", &sig);
    assert!(matches!(refusal(&req), SignatureError::Malformed(_)));
}

#[test]
fn authorization_header_spaces_and_hs2019_are_accepted() {
    let mut req = signed_post();
    let sig = req
        .get("signature")
        .replace("rsa-sha256", "hs2019")
        .replace("\",", "\", ");
    req.headers.remove("signature");
    req.set("authorization", &format!("Signature {sig}"));
    let parsed = parse(&req.incoming(), now(), DEFAULT_WINDOW).unwrap();
    parsed.verify(&test_key().0.public_key_pem).unwrap();
}
