//! Tests for the signatures module: round trips, refusals, RFC 9421 vectors and real captures.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod captures;
mod cavage;
mod keys;
mod normalization;
mod rfc9421;
mod rfc9421_vectors;

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use http::{HeaderMap, HeaderName, HeaderValue, Method};
use url::Url;

use super::{IncomingRequest, KeyPair, SigningKey, generate_rsa_keypair};

/// The actor key id used by signed test requests.
const KEY_ID: &str = "https://mutual.example/actor#main-key";

/// A generated key pair shared by the tests, and its parsed signing key.
fn test_key() -> &'static (KeyPair, SigningKey) {
    static KEY: OnceLock<(KeyPair, SigningKey)> = OnceLock::new();
    KEY.get_or_init(|| {
        let pair = generate_rsa_keypair().unwrap();
        let key = SigningKey::from_pem(&pair.private_key_pem).unwrap();
        (pair, key)
    })
}

/// A second, unrelated key pair (for "wrong key" tests).
fn other_key() -> &'static KeyPair {
    static KEY: OnceLock<KeyPair> = OnceLock::new();
    KEY.get_or_init(|| generate_rsa_keypair().unwrap())
}

/// A fixed "now" so that tests do not depend on the clock.
fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_750_000_000, 0).unwrap()
}

/// An owned request, lent out as an [`IncomingRequest`].
struct Req {
    method: Method,
    url: Url,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Req {
    fn new(method: Method, url: &str, body: &[u8]) -> Self {
        Self {
            method,
            url: Url::parse(url).unwrap(),
            headers: HeaderMap::new(),
            body: body.to_vec(),
        }
    }

    fn incoming(&self) -> IncomingRequest<'_> {
        IncomingRequest {
            method: &self.method,
            target_uri: &self.url,
            headers: &self.headers,
            body: &self.body,
        }
    }

    fn set(&mut self, name: &str, value: &str) {
        let name = HeaderName::from_bytes(name.as_bytes()).unwrap();
        self.headers
            .insert(name, HeaderValue::from_str(value).unwrap());
    }

    fn get(&self, name: &str) -> &str {
        self.headers.get(name).unwrap().to_str().unwrap()
    }
}
