//! RFC 9421 round trips and the inbox policy applied to them.

use aws_lc_rs::encoding::{AsDer, PublicKeyX509Der};
use aws_lc_rs::signature::{Ed25519KeyPair, KeyPair as _};
use chrono::Duration;
use http::Method;

use super::super::base::signature_base;
use super::super::pem::{b64_encode, pem_encode};
use super::super::rfc9421::sign_request_at;
use super::super::{Algorithm, DEFAULT_WINDOW, Scheme, SignatureError, digest, parse};
use super::{KEY_ID, Req, now, other_key, test_key};

const BODY: &[u8] = br#"{"type":"Create"}"#;
const INBOX: &str = "https://mutual.example/users/alice/inbox";

fn signed_post() -> Req {
    let mut req = Req::new(Method::POST, INBOX, BODY);
    sign_request_at(
        &req.method,
        &req.url,
        &mut req.headers,
        Some(BODY),
        KEY_ID,
        &test_key().1,
        now(),
    )
    .unwrap();
    req
}

/// Signs `req` by hand with `components` and a params suffix, under `label`, with the RSA test key.
fn sign_by_hand(req: &mut Req, label: &str, components: &[&str], params: &str) {
    let list: Vec<String> = components.iter().map(|c| format!("\"{c}\"")).collect();
    let serialized = format!("({}){params}", list.join(" "));
    let names: Vec<String> = components.iter().map(|c| c.to_string()).collect();
    let base = signature_base(&req.method, &req.url, &req.headers, &names, &serialized).unwrap();
    let sig = b64_encode(&test_key().1.sign_sha256(base.as_bytes()).unwrap());
    req.headers.append(
        "signature-input",
        format!("{label}={serialized}").parse().unwrap(),
    );
    req.headers
        .append("signature", format!("{label}=:{sig}:").parse().unwrap());
}

fn by_hand(method: Method, url: &str, components: &[&str], params: &str) -> Req {
    let body: &[u8] = if method == Method::GET { b"" } else { BODY };
    let mut req = Req::new(method, url, body);
    req.set("content-digest", &digest::content_digest_header(body));
    sign_by_hand(&mut req, "sig1", components, params);
    req
}

fn params(created: i64) -> String {
    format!(r#";created={created};keyid="{KEY_ID}";alg="rsa-v1_5-sha256""#)
}

fn refusal(req: &Req) -> SignatureError {
    parse(&req.incoming(), now(), DEFAULT_WINDOW).unwrap_err()
}

#[test]
fn signed_post_round_trips() {
    let req = signed_post();
    let input = req.get("signature-input");
    assert!(
        input.starts_with(
            r#"sig1=("@method" "@target-uri" "@authority" "content-digest");created="#
        ),
        "{input}"
    );
    let parsed = parse(&req.incoming(), now(), DEFAULT_WINDOW).unwrap();
    assert_eq!(
        (parsed.scheme(), parsed.algorithm()),
        (Scheme::Rfc9421, Some(Algorithm::RsaV15Sha256))
    );
    assert_eq!(parsed.key_id().as_str(), KEY_ID);
    assert!(
        parsed
            .signed_message()
            .starts_with(&format!("\"@method\": POST\n\"@target-uri\": {INBOX}\n"))
    );
    parsed.verify(&test_key().0.public_key_pem).unwrap();
    let err = parsed.verify(&other_key().public_key_pem).unwrap_err();
    assert!(matches!(err, SignatureError::Invalid));
}

#[test]
fn tampering_and_time_are_caught() {
    let mut req = signed_post();
    req.body = b"{}".to_vec();
    assert!(matches!(refusal(&req), SignatureError::DigestMismatch));
    let req = signed_post();
    let late = parse(&req.incoming(), now() + Duration::hours(2), DEFAULT_WINDOW).unwrap_err();
    assert!(matches!(late, SignatureError::Stale));
    let early = parse(&req.incoming(), now() - Duration::hours(2), DEFAULT_WINDOW).unwrap_err();
    assert!(matches!(early, SignatureError::InFuture));
    let expiring = format!(
        "{};expires={}",
        params(now().timestamp() - 60),
        now().timestamp() - 1
    );
    let req = by_hand(
        Method::POST,
        INBOX,
        &["@method", "@target-uri", "content-digest"],
        &expiring,
    );
    assert!(matches!(refusal(&req), SignatureError::Expired));
}

#[test]
fn coverage_policy_is_enforced() {
    let t = now().timestamp();
    let cases: [(&[&str], &str); 4] = [
        (&["@target-uri", "content-digest"], "@method"),
        (
            &["@method", "@authority", "content-digest"],
            "@target-uri (or @authority and @path)",
        ),
        (&["@method", "@target-uri"], "content-digest"),
        (&["@method", "@authority", "@path"], "@query"),
    ];
    for (components, missing) in cases {
        let url = if missing == "@query" {
            "https://mutual.example/outbox?page=2"
        } else {
            INBOX
        };
        let req = by_hand(Method::POST, url, components, &params(t));
        let err = refusal(&req);
        assert!(
            matches!(&err, SignatureError::HeaderNotSigned(h) if h == missing),
            "{err}"
        );
    }
    let req = by_hand(
        Method::POST,
        INBOX,
        &["@method", "@authority", "@path", "content-digest"],
        &params(t),
    );
    parse(&req.incoming(), now(), DEFAULT_WINDOW)
        .unwrap()
        .verify(&test_key().0.public_key_pem)
        .unwrap();
    let get = by_hand(
        Method::GET,
        "https://mutual.example/outbox?page=2",
        &["@method", "@target-uri"],
        &params(t),
    );
    parse(&get.incoming(), now(), DEFAULT_WINDOW)
        .unwrap()
        .verify(&test_key().0.public_key_pem)
        .unwrap();
}

#[test]
fn digest_header_alone_is_accepted_only_when_covered() {
    let mut req = Req::new(Method::POST, INBOX, BODY);
    req.set("digest", &digest::digest_header(BODY));
    sign_by_hand(
        &mut req,
        "sig1",
        &["@method", "@target-uri", "digest"],
        &params(now().timestamp()),
    );
    parse(&req.incoming(), now(), DEFAULT_WINDOW)
        .unwrap()
        .verify(&test_key().0.public_key_pem)
        .unwrap();
    let mut req = Req::new(Method::POST, INBOX, BODY);
    sign_by_hand(
        &mut req,
        "sig1",
        &["@method", "@target-uri"],
        &params(now().timestamp()),
    );
    assert!(matches!(refusal(&req), SignatureError::MissingDigest));
}

#[test]
fn a_later_acceptable_label_is_used_when_the_first_is_not() {
    let t = now().timestamp();
    let mut req = Req::new(Method::POST, INBOX, BODY);
    req.set("content-digest", &digest::content_digest_header(BODY));
    let hmac = format!(r#";created={t};keyid="{KEY_ID}";alg="hmac-sha256""#);
    sign_by_hand(&mut req, "hmac", &["@method"], &hmac);
    sign_by_hand(
        &mut req,
        "sig1",
        &["@method", "@target-uri", "content-digest"],
        &params(t),
    );
    parse(&req.incoming(), now(), DEFAULT_WINDOW)
        .unwrap()
        .verify(&test_key().0.public_key_pem)
        .unwrap();
    req.headers.remove("signature");
    assert!(matches!(refusal(&req), SignatureError::Malformed(_)));
}

#[test]
fn ed25519_signatures_verify_with_an_ed25519_spki() {
    let pair = Ed25519KeyPair::generate().unwrap();
    let spki: PublicKeyX509Der = pair.public_key().as_der().unwrap();
    let pem = pem_encode("PUBLIC KEY", spki.as_ref());
    let mut req = Req::new(Method::GET, "https://mutual.example/users/alice", b"");
    let serialized = format!(
        r#"("@method" "@target-uri");created={};keyid="{KEY_ID}";alg="ed25519""#,
        now().timestamp()
    );
    let names = ["@method".to_string(), "@target-uri".to_string()];
    let base = signature_base(&req.method, &req.url, &req.headers, &names, &serialized).unwrap();
    let sig = b64_encode(pair.sign(base.as_bytes()).as_ref());
    req.set("signature-input", &format!("sig1={serialized}"));
    req.set("signature", &format!("sig1=:{sig}:"));
    let parsed = parse(&req.incoming(), now(), DEFAULT_WINDOW).unwrap();
    assert_eq!(parsed.algorithm(), Some(Algorithm::Ed25519));
    parsed.verify(&pem).unwrap();
    assert!(matches!(
        parsed.verify(&test_key().0.public_key_pem),
        Err(SignatureError::BadKey(_))
    ));
}
