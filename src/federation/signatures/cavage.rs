//! draft-cavage-http-signatures-12 as Mastodon uses it: `rsa-sha256` over
//! `(request-target) host date [digest]`.
//!
//! Outgoing signatures are built with http-signature-normalization (as the federation crate
//! does): headers `(request-target) date digest host`, `algorithm="hs2019"`, which Mastodon,
//! Fedify and Lemmy verify as RSA-SHA256; the RSA signature itself comes from aws-lc-rs.
//! Incoming signatures are parsed and checked here by hand (`signing_string`), because that
//! crate reads the clock inside its parser; tests cross-check the two.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use http::header::{DATE, HOST, HeaderName, HeaderValue};
use http::{HeaderMap, Method};
use url::Url;

use super::keys::{Algorithm, SigningKey};
use super::pem::{b64_decode, b64_encode};
use super::{IncomingRequest, ParsedSignature, Scheme, SignatureError, digest, header_value};

/// Signs an outgoing request as Mastodon expects, dated now. See [`sign_request_at`].
pub fn sign_request(
    method: &Method,
    url: &Url,
    headers: &mut HeaderMap,
    body: Option<&[u8]>,
    key_id: &str,
    key: &SigningKey,
) -> Result<(), SignatureError> {
    sign_request_at(method, url, headers, body, key_id, key, Utc::now())
}

/// Signs an outgoing request dated `now`: sets `Host` (host, plus the port only when the URL
/// has a non-default one), `Date`, `Digest` when there is a body, and
/// `Signature: keyId="..",algorithm="rsa-sha256",headers="(request-target) host date [digest]",signature=".."`.
pub fn sign_request_at(
    method: &Method,
    url: &Url,
    headers: &mut HeaderMap,
    body: Option<&[u8]>,
    key_id: &str,
    key: &SigningKey,
    now: DateTime<Utc>,
) -> Result<(), SignatureError> {
    if key_id.contains('"') {
        return Err(SignatureError::Malformed("key id contains a quote".into()));
    }
    let host = authority(url)?;
    let date = httpdate::fmt_http_date(now.into());
    let mut signed = BTreeMap::from([
        ("host".to_string(), host.clone()),
        ("date".to_string(), date.clone()),
    ]);
    let mut config = http_signature_normalization::Config::new().mastodon_compat();
    let digest = body.map(digest::digest_header);
    if let Some(digest) = &digest {
        signed.insert("digest".to_string(), digest.clone());
        config = config.require_digest();
    }
    let value = config
        .begin_sign(method.as_str(), &path_and_query(url), signed)
        .map_err(|e| SignatureError::Malformed(format!("cannot build the signing string: {e}")))?
        .sign(key_id.to_string(), |message| {
            key.sign_sha256(message.as_bytes()).map(|s| b64_encode(&s))
        })?
        .signature_header();
    headers.insert(HOST, to_header(&host)?);
    headers.insert(DATE, to_header(&date)?);
    if let Some(digest) = digest {
        headers.insert(HeaderName::from_static("digest"), to_header(&digest)?);
    }
    headers.insert(HeaderName::from_static("signature"), to_header(&value)?);
    Ok(())
}

/// The fields of a cavage `Signature` header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureHeader {
    /// `keyId`, as sent.
    pub key_id: String,
    /// `algorithm`, lowercased, if present.
    pub algorithm: Option<String>,
    /// `headers`, lowercased, in order (default `(created)` as the draft says).
    pub headers: Vec<String>,
    /// `signature`, base64-decoded.
    pub signature: Vec<u8>,
    /// `created` (unix seconds), if present.
    pub created: Option<i64>,
    /// `expires` (unix seconds), if present.
    pub expires: Option<i64>,
}

impl SignatureHeader {
    /// Parses `keyId="..",algorithm="..",headers="..",signature=".."`; parameter names are
    /// case-insensitive, whitespace around commas is allowed, `created`/`expires` may be bare.
    pub fn parse(value: &str) -> Result<Self, SignatureError> {
        let malformed = |why: String| SignatureError::Malformed(format!("Signature header: {why}"));
        let mut params: Vec<(String, String)> = Vec::new();
        let mut rest = value.trim();
        loop {
            rest = rest.trim_start_matches(|c: char| c == ',' || c.is_ascii_whitespace());
            if rest.is_empty() {
                break;
            }
            let (key, after) = rest
                .split_once('=')
                .ok_or_else(|| malformed("expected key=value".into()))?;
            let key = key.trim().to_ascii_lowercase();
            let after = after.trim_start();
            let (val, remaining) = match after.strip_prefix('"') {
                Some(quoted) => {
                    let end = quoted
                        .find('"')
                        .ok_or_else(|| malformed(format!("unterminated {key}")))?;
                    (&quoted[..end], &quoted[end + 1..])
                }
                None => after.split_at(after.find(',').unwrap_or(after.len())),
            };
            rest = remaining.trim_start();
            if !(rest.is_empty() || rest.starts_with(',')) {
                return Err(malformed(format!("junk after {key}")));
            }
            if params.iter().any(|(k, _)| *k == key) {
                return Err(malformed(format!("duplicate {key}")));
            }
            params.push((key, val.trim().to_string()));
        }
        let take = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        let number = |name: &str| -> Result<Option<i64>, SignatureError> {
            take(name)
                .map(|v| {
                    v.parse::<i64>()
                        .map_err(|_| malformed(format!("{name} is not an integer")))
                })
                .transpose()
        };
        let headers = take("headers").unwrap_or_else(|| "(created)".into());
        Ok(Self {
            key_id: take("keyid").ok_or_else(|| malformed("no keyId".into()))?,
            algorithm: take("algorithm").map(|a| a.to_ascii_lowercase()),
            headers: headers
                .split_ascii_whitespace()
                .map(str::to_ascii_lowercase)
                .collect(),
            signature: b64_decode(
                "signature",
                &take("signature").ok_or_else(|| malformed("no signature".into()))?,
            )?,
            created: number("created")?,
            expires: number("expires")?,
        })
    }
}

/// Builds the signing string for the `names` in order: `(request-target)` from `method` and
/// the URL's path and query, `(created)`/`(expires)` from the parameters, and other names from
/// the headers (values trimmed, repeats joined with ", "). A missing `Host` header falls back to
/// the URL's authority (HTTP/2 carries it as `:authority`).
pub fn signing_string(
    method: &Method,
    url: &Url,
    headers: &HeaderMap,
    names: &[String],
    created: Option<i64>,
    expires: Option<i64>,
) -> Result<String, SignatureError> {
    let mut lines = Vec::with_capacity(names.len());
    for name in names {
        let value = match name.as_str() {
            "(request-target)" => Some(format!(
                "{} {}",
                method.as_str().to_lowercase(),
                path_and_query(url)
            )),
            "(created)" => created.map(|c| c.to_string()),
            "(expires)" => expires.map(|e| e.to_string()),
            "host" => match header_value(headers, "host")? {
                Some(host) => Some(host),
                None => Some(authority(url)?),
            },
            other => header_value(headers, other)?,
        };
        let value = value.ok_or_else(|| SignatureError::MissingHeader(name.clone()))?;
        lines.push(format!("{name}: {value}"));
    }
    Ok(lines.join("\n"))
}

/// Checks an inbound cavage signature (the value of `Signature`, or of `Authorization` after
/// "Signature ") against the policy described on [`super::parse`].
pub(super) fn parse_request(
    req: &IncomingRequest,
    value: &str,
    now: DateTime<Utc>,
    window: chrono::Duration,
) -> Result<ParsedSignature, SignatureError> {
    let header = SignatureHeader::parse(value)?;
    let key_id = super::parse_key_id(&header.key_id)?;
    let algorithm = match header.algorithm.as_deref() {
        None | Some("hs2019") => None,
        Some("rsa-sha256") => Some(Algorithm::RsaV15Sha256),
        Some("ed25519") => Some(Algorithm::Ed25519),
        Some(other) => return Err(SignatureError::Unsupported(format!("algorithm {other:?}"))),
    };
    super::policy::check_cavage(req, &header, now, window)?;
    let message = signing_string(
        req.method,
        req.target_uri,
        req.headers,
        &header.headers,
        header.created,
        header.expires,
    )?;
    Ok(ParsedSignature {
        scheme: Scheme::Cavage,
        key_id,
        algorithm,
        message,
        signature: header.signature,
    })
}

/// `host[:port]`, the port only when the URL has a non-default one.
pub(super) fn authority(url: &Url) -> Result<String, SignatureError> {
    let host = url
        .host_str()
        .ok_or_else(|| SignatureError::Malformed(format!("URL {url} has no host")))?;
    Ok(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    })
}

/// The URL's path plus `?query` when there is one.
pub(super) fn path_and_query(url: &Url) -> String {
    match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_string(),
    }
}

fn to_header(value: &str) -> Result<HeaderValue, SignatureError> {
    HeaderValue::from_str(value)
        .map_err(|_| SignatureError::Malformed(format!("{value:?} is not a valid header value")))
}
