//! HTTP signatures for ActivityPub: draft-cavage (as Mastodon sends) and RFC 9421 (as Fedify
//! sends first).
//!
//! Inbound: [`parse`] checks everything that needs no key (presence, freshness, covered
//! components, body digest) and yields a [`ParsedSignature`]; fetch the actor's key by
//! [`ParsedSignature::key_id`], then call [`ParsedSignature::verify`]. Outbound:
//! [`cavage::sign_request`]. Every [`SignatureError`] message is fit for a 401 body.

pub mod base;
pub mod cavage;
pub mod digest;
pub mod keys;
mod pem;
mod policy;
pub mod rfc9421;

#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};
use http::{HeaderMap, Method};
use url::Url;

pub use cavage::sign_request;
pub use digest::{content_digest_header, digest_header};
pub use keys::{Algorithm, KeyPair, SigningKey, generate_rsa_keypair, verify_rsa_sha256};

/// How far `Date` / `created` may be from now, either way, by default.
pub const DEFAULT_WINDOW: chrono::Duration = chrono::Duration::hours(1);

/// Everything about an inbound request that signature checks need.
#[derive(Clone, Copy, Debug)]
pub struct IncomingRequest<'a> {
    /// The request method.
    pub method: &'a Method,
    /// The absolute URL as the server's public URL sees it (public scheme, host, port; the
    /// request's path and query).
    pub target_uri: &'a Url,
    /// The request headers.
    pub headers: &'a HeaderMap,
    /// The raw request body (empty for GET).
    pub body: &'a [u8],
}

/// Which signature standard a request used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// draft-cavage-http-signatures-12 (`Signature: keyId=...`).
    Cavage,
    /// RFC 9421 HTTP Message Signatures (`Signature-Input` + `Signature`).
    Rfc9421,
}

/// A signature that passed every check that needs no key; [`verify`](Self::verify) it next.
#[derive(Clone, Debug)]
pub struct ParsedSignature {
    scheme: Scheme,
    key_id: Url,
    algorithm: Option<Algorithm>,
    message: String,
    signature: Vec<u8>,
}

impl ParsedSignature {
    /// The key's URL (cavage `keyId`, RFC 9421 `keyid`): fetch the actor's key from here.
    pub fn key_id(&self) -> &Url {
        &self.key_id
    }

    /// Which standard the request used.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The declared algorithm; `None` means "inferred from the key" (cavage `hs2019`, or no
    /// RFC 9421 `alg`).
    pub fn algorithm(&self) -> Option<Algorithm> {
        self.algorithm
    }

    /// The exact bytes that were signed: the cavage signing string or the RFC 9421 signature base.
    pub fn signed_message(&self) -> &str {
        &self.message
    }

    /// Checks the signature with the actor's `publicKeyPem` (RSA SPKI or PKCS#1, or Ed25519 SPKI).
    pub fn verify(&self, public_key_pem: &str) -> Result<(), SignatureError> {
        keys::PublicKey::from_pem(public_key_pem)?.verify(
            self.algorithm,
            self.message.as_bytes(),
            &self.signature,
        )
    }
}

/// Parses whichever signature is present (RFC 9421 preferred when both), and checks everything
/// that needs no key:
/// - a signature is present (else [`SignatureError::Missing`]);
/// - the `Date` header (cavage) or `created` (RFC 9421) is within `window` of `now` both ways
///   (see [`DEFAULT_WINDOW`]), else `Stale` / `InFuture`; a past `expires` gives `Expired`;
/// - requests with a body (or POST/PUT/PATCH): cavage must sign `(request-target) host date
///   digest` and `Digest` must match; RFC 9421 must cover `@method`, `@target-uri` (or
///   `@authority` with `@path`), and `content-digest` (or `digest`), which must match;
/// - GETs: cavage must sign `(request-target) host date`; no digest needed.
pub fn parse(
    req: &IncomingRequest,
    now: DateTime<Utc>,
    window: chrono::Duration,
) -> Result<ParsedSignature, SignatureError> {
    if req.headers.contains_key("signature-input") {
        let rfc = rfc9421::parse_request(req, now, window);
        return match (rfc, authorization_signature(req.headers)) {
            (Err(_), Some(value)) => cavage::parse_request(req, &value, now, window),
            (rfc, _) => rfc,
        };
    }
    if let Some(value) = header_value(req.headers, "signature")? {
        return cavage::parse_request(req, &value, now, window);
    }
    match authorization_signature(req.headers) {
        Some(value) => cavage::parse_request(req, &value, now, window),
        None => Err(SignatureError::Missing),
    }
}

/// Why a request's signature was refused. All are client errors (401) except `Crypto`.
#[derive(Debug, thiserror::Error)]
pub enum SignatureError {
    /// No `Signature` header (nor `Signature-Input`, nor `Authorization: Signature`).
    #[error("request is not signed: no Signature header")]
    Missing,
    /// A signature header, digest header or date could not be parsed.
    #[error("malformed signature: {0}")]
    Malformed(String),
    /// `Date` or `created` is older than the allowed window.
    #[error("signature is too old: Date/created is outside the allowed window")]
    Stale,
    /// `Date` or `created` is further in the future than the allowed window.
    #[error("signature is dated in the future")]
    InFuture,
    /// The signature's `expires` time has passed.
    #[error("signature has expired")]
    Expired,
    /// The body does not hash to the value in `Digest` / `Content-Digest`.
    #[error("body does not match its Digest/Content-Digest header")]
    DigestMismatch,
    /// The request has a body but no `Digest` / `Content-Digest` header.
    #[error("request has a body but no Digest or Content-Digest header")]
    MissingDigest,
    /// A header or component that must be signed is not covered by the signature.
    #[error("{0} must be covered by the signature")]
    HeaderNotSigned(String),
    /// A header named by the signature is absent from the request.
    #[error("signed header {0} is missing from the request")]
    MissingHeader(String),
    /// The public key could not be used.
    #[error("unusable public key: {0}")]
    BadKey(String),
    /// The signature does not verify with the given key.
    #[error("signature does not verify")]
    Invalid,
    /// An algorithm, component or parameter this server does not support.
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// A local cryptographic failure (key generation or signing): a server error, not a 401.
    #[error("cryptographic failure: {0}")]
    Crypto(String),
}

impl SignatureError {
    /// True for errors caused by the request (answer 401); false for local failures (500).
    pub fn is_client_error(&self) -> bool {
        !matches!(self, Self::Crypto(_))
    }
}

/// All values of header `name`, each trimmed, joined with ", "; `None` if absent.
fn header_value(headers: &HeaderMap, name: &str) -> Result<Option<String>, SignatureError> {
    let mut values = Vec::new();
    for value in headers.get_all(name) {
        let text = value.to_str().map_err(|_| {
            SignatureError::Malformed(format!("header {name} is not visible ASCII"))
        })?;
        values.push(text.trim());
    }
    Ok((!values.is_empty()).then(|| values.join(", ")))
}

/// The parameters of an `Authorization: Signature ...` header, if that is what it holds
/// (any other or unreadable `Authorization` header is ignored).
fn authorization_signature(headers: &HeaderMap) -> Option<String> {
    let value = headers.get("authorization")?.to_str().ok()?;
    value.trim().strip_prefix("Signature ").map(str::to_string)
}

/// Parses a key id, which must be an absolute http(s) URL.
fn parse_key_id(key_id: &str) -> Result<Url, SignatureError> {
    match Url::parse(key_id) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(url),
        _ => Err(SignatureError::Malformed(format!(
            "key id {key_id:?} is not an absolute http(s) URL"
        ))),
    }
}
