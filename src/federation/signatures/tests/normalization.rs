//! Cross-checks against http-signature-normalization 0.7.1, the crate the federation library
//! uses: same signing strings, and each side verifies what the other signs.

use std::collections::BTreeMap;

use http::Method;

use super::super::cavage::sign_request_at;
use super::super::pem::b64_encode;
use super::super::{DEFAULT_WINDOW, digest_header, parse};
use super::{KEY_ID, Req, now, test_key};

const BODY: &[u8] = br#"{"type":"Follow","actor":"https://mutual.example/actor"}"#;

/// Our signing string is byte-identical to http-signature-normalization's, and our verifier
/// accepts what that crate signs (alphabetical header order, `algorithm="hs2019"`).
#[test]
fn agrees_with_http_signature_normalization_both_ways() {
    let config = http_signature_normalization::Config::new()
        .mastodon_compat()
        .require_digest()
        .set_expiration(std::time::Duration::from_secs(3600));
    let (pair, key) = test_key();

    let mut ours = Req::new(Method::POST, "https://remote.example/inbox", BODY);
    sign_request_at(
        &ours.method,
        &ours.url,
        &mut ours.headers,
        Some(BODY),
        KEY_ID,
        key,
        chrono::Utc::now(),
    )
    .unwrap();
    let map: BTreeMap<String, String> = ["host", "date", "digest", "signature"]
        .iter()
        .map(|h| (h.to_string(), ours.get(h).to_string()))
        .collect();
    let unverified = config.begin_verify("POST", "/inbox", map).unwrap();
    let parsed = parse(&ours.incoming(), chrono::Utc::now(), DEFAULT_WINDOW).unwrap();
    assert_eq!(unverified.signing_string(), parsed.signed_message());

    let mut theirs = Req::new(Method::POST, "https://remote.example/inbox", BODY);
    for (name, value) in [
        ("host", "remote.example".to_string()),
        ("date", httpdate::fmt_http_date(now().into())),
        ("digest", digest_header(BODY)),
    ] {
        theirs.set(name, &value);
    }
    let map: BTreeMap<String, String> = ["host", "date", "digest"]
        .iter()
        .map(|h| (h.to_string(), theirs.get(h).to_string()))
        .collect();
    let header = config
        .begin_sign("POST", "/inbox", map)
        .unwrap()
        .sign(KEY_ID.to_string(), |s| {
            key.sign_sha256(s.as_bytes()).map(|sig| b64_encode(&sig))
        })
        .unwrap()
        .signature_header();
    assert!(
        header.contains(r#"algorithm="hs2019""#)
            && header.contains("(request-target) date digest host")
    );
    theirs.set("signature", &header);
    parse(&theirs.incoming(), now(), DEFAULT_WINDOW)
        .unwrap()
        .verify(&pair.public_key_pem)
        .unwrap();
}
