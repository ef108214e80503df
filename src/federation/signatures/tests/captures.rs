//! Real signed requests from other servers, verified with the clock set to when they were sent:
//! Fedify 2.3.6 (captured for this project, `tests/fixtures/fedify/`), and Mastodon and
//! Bridgy Fed inbox POSTs as logged by bird.makeup (`CryptoServiceTest.cs`, tests `ValidDelete`
//! and `ValidBridgyFed`; the Mastodon body is `tests/fixtures/mastodon/delete_actor.json`).

use chrono::{DateTime, Duration, Utc};
use http::Method;

use super::super::{DEFAULT_WINDOW, ParsedSignature, Scheme, SignatureError, parse};
use super::Req;

const FEDIFY_RFC9421: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/fedify/rfc9421-post.json"
));
const FEDIFY_CAVAGE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/fedify/cavage-post.json"
));
const MASTODON_DELETE_BODY: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/mastodon/delete_actor.json"
));

/// A captured request, its signer's key, and the moment it was sent (from its `Date`).
struct Capture {
    req: Req,
    public_key_pem: String,
    key_id: String,
    sent: DateTime<Utc>,
}

impl Capture {
    fn from_fixture(json: &str) -> Self {
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        let text = |k: &str| v[k].as_str().unwrap().to_string();
        let method = Method::from_bytes(text("method").as_bytes()).unwrap();
        let mut req = Req::new(method, &text("url"), text("body").as_bytes());
        for (name, value) in v["headers"].as_object().unwrap() {
            req.set(name, value.as_str().unwrap());
        }
        Self::new(req, &text("public_key_pem"), &text("key_id"))
    }

    fn new(req: Req, public_key_pem: &str, key_id: &str) -> Self {
        let sent = httpdate::parse_http_date(req.get("date")).unwrap().into();
        Self {
            req,
            public_key_pem: public_key_pem.into(),
            key_id: key_id.into(),
            sent,
        }
    }

    fn parse_at(&self, now: DateTime<Utc>) -> Result<ParsedSignature, SignatureError> {
        parse(&self.req.incoming(), now, DEFAULT_WINDOW)
    }

    /// Parses as of sending, checks scheme and key id, verifies, and checks that tampering
    /// with the body or arriving two hours late is refused.
    fn assert_verifies(mut self, scheme: Scheme) {
        let parsed = self.parse_at(self.sent + Duration::seconds(5)).unwrap();
        assert_eq!(parsed.scheme(), scheme);
        assert_eq!(parsed.key_id().as_str(), self.key_id);
        parsed.verify(&self.public_key_pem).unwrap();
        let late = self.parse_at(self.sent + Duration::hours(2)).unwrap_err();
        assert!(matches!(late, SignatureError::Stale), "{late}");
        self.req.body.push(b' ');
        let tampered = self.parse_at(self.sent).unwrap_err();
        assert!(
            matches!(tampered, SignatureError::DigestMismatch),
            "{tampered}"
        );
    }
}

#[test]
fn fedify_rfc9421_post_verifies() {
    let capture = Capture::from_fixture(FEDIFY_RFC9421);
    assert!(
        capture
            .req
            .get("signature-input")
            .contains(r#""content-digest");alg="rsa-v1_5-sha256""#)
    );
    capture.assert_verifies(Scheme::Rfc9421);
}

#[test]
fn fedify_cavage_post_verifies() {
    let capture = Capture::from_fixture(FEDIFY_CAVAGE);
    assert!(
        capture
            .req
            .get("signature")
            .contains(r#"headers="(request-target) content-type date digest host""#)
    );
    capture.assert_verifies(Scheme::Cavage);
}

#[test]
fn fedify_signature_does_not_verify_for_another_inbox() {
    let mut capture = Capture::from_fixture(FEDIFY_RFC9421);
    capture.req.url = "http://localhost:38421/users/bob/inbox".parse().unwrap();
    let parsed = capture.parse_at(capture.sent).unwrap();
    assert!(matches!(
        parsed.verify(&capture.public_key_pem),
        Err(SignatureError::Invalid)
    ));
}

#[test]
fn mastodon_delete_post_verifies() {
    let mut req = Req::new(
        Method::POST,
        "https://kilogram.makeup/inbox",
        MASTODON_DELETE_BODY.as_bytes(),
    );
    req.set("date", "Mon, 05 Aug 2024 20:13:26 GMT");
    req.set(
        "digest",
        "SHA-256=KM5J2Alu2SYGDBkhkln2p4zVYwjyGfvTxiRCibC/y6Q=",
    );
    req.set("host", "kilogram.makeup");
    req.set("content-type", "application/activity+json");
    req.set("signature", concat!(
        r#"keyId="https://red.niboe.info/users/JotaLuis#main-key",algorithm="rsa-sha256","#,
        r#"headers="(request-target) host date digest content-type",signature="1tCzRmNA3Cmu1Wh+tdVc0FWrvuNKziAEtFaxZWZqUdN/4H0/uqRoN0M/nmqTKb5v3awZjDd1TH6a7Ht69O6ZHSRAF//OHLXhm7TKL+I+7M063v1n3j+mTzgDV3YMx3SGs5kG0V69jxto7KNxWuuhFReEoQY0o6GGL2Jgk5fBfhOpx+ltl5YXQy+discZP0LnFccOjp03nH3AOHpnYNHpxKvL/nPXqYm53p/tmTmT9/xr7dOFl4uMEY83KY5RDEETS8C5Y5YnXFZAb7I1WvwCKYpSD6M3YYMkB/uHcizLPEo5y7adxsEtd5p27RrZ6Sj96cM3pI0sOMHGhT9ZSmCc6w==""#,
    ));
    let pem = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA3T/I+q10jmoD8XFhVeqb\neIl8uu740rQhxK7v5InHn9ItBjM0+La7SjvvE+WPWMtnbYnEX+JKERutz7AhLyjw\nAGoMrAoRL+3zKi3WvTfSawYkkaAt8eYHz2+VkPXXCDF8ez2QEes+vNEpnUfNHwrW\nWlMI2SWaajAws9uvXMsPnw2MQk4qWc3iocE11uaJ29kK69zrX+eQQ9iWMjv9LMaN\numo2o0tApAsyX6RBs9si3NRiWIx5atK+bnK7CgN7Gczz5VYl0ALBqtYNNCSuVz9O\no1fAT+dG3A8Y4riyWDMaWhCe+GUTrpP9KxOr4lmDZ4Hgjqt4n5Owx4Q+qpzuMS6u\nSwIDAQAB\n-----END PUBLIC KEY-----\n";
    Capture::new(req, pem, "https://red.niboe.info/users/JotaLuis#main-key")
        .assert_verifies(Scheme::Cavage);
}

#[test]
fn bridgy_fed_post_with_request_target_last_verifies() {
    let body = r#"{"@context":["https://www.w3.org/ns/activitystreams","https://purl.archive.org/miscellany"],"type":"Follow","id":"https://fed.brid.gy/convert/ap/https://snarfed.org/#follow-2025-10-21T13:38:08-@id_aa_carmack@bird.makeup","actor":"https://fed.brid.gy/snarfed.org","object":"https://bird.makeup/users/id_aa_carmack","to":["https://www.w3.org/ns/activitystreams#Public"],"url":[{"type":"Link","rel":"canonical","href":"https://snarfed.org/#follow-2025-10-21T13:38:08-@id_aa_carmack@bird.makeup"}]}"#;
    let mut req = Req::new(
        Method::POST,
        "https://bird.makeup/users/id_aa_carmack/inbox",
        body.as_bytes(),
    );
    req.set("date", "Sun, 09 Nov 2025 15:54:04 GMT");
    req.set("host", "bird.makeup");
    req.set(
        "digest",
        "SHA-256=Ni6ysLKi5jiypZcCAGRG32xsXZihOpbr1jpdw1QflnE=",
    );
    req.set("signature", concat!(
        r#"keyId="https://fed.brid.gy/snarfed.org#key",algorithm="rsa-sha256",signature="iqDJDgYdHOLZYLtYv2oC8fvFgzUvQARJXBE/IQfWWDKz1A48JkS1D1WOXSuNrV94vZN2MiY6LVqta6K+nZRACL1NPmARw9Le7wtg601eeqqoV/+l//KbB9j7Htl42P77IhLB7Vs9vbXISKNLOO9lULWon2ueeJiNc/laYZz+WeRMKXI1/28ERcU1nxqb/OvFnPGQ+ZNB1Xgia/6gonpVpbqn7aZ4tVDWMtdFbsIq476rIDTIOQ3Xi+b7rWP1t76/d/+Y89sEY1j83+7e0N7tik325mQ8tR0lU0niyjII65LTOQBS7hrIrQBGFE4FXqelwGM4DYcaUVf5jXR9p3htQA==","#,
        r#"headers="date host digest (request-target)""#,
    ));
    let pem = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAxi54qQrNQOcOnUftXBQm\n9BJoSCTOF6ffbVL+zXkEgktubVy5XD1Hli07CgvpDBz9jlKJNp1BJ2G0lpn0QBtW\nYvViPwlsgB1tsheChL3KtWTrnNl01+2lbYD2kgdTDXc/j/1BkL7ootHulE8jdjfK\ndNUUFoTmzF/5wgueNYMWNnWVSzGUVGyDo6TPYV6tmso3QRi0Cr5Sk28VqJ49oT5K\nbCv4eMrGJifbmVK4fhuTndQWeq1919pxnUByP5rsOBoj9b3YshygiWQAjaqV8W7W\n+kfybE4dGx4Cyj02HcgPlhgGexhSWo6Fpe9IvZGrKquql+kLyWRXvW5eQhb+l4bx\nlwIDAQAB\n-----END PUBLIC KEY-----";
    Capture::new(req, pem, "https://fed.brid.gy/snarfed.org#key").assert_verifies(Scheme::Cavage);
}
