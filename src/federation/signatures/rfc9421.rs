//! RFC 9421 HTTP Message Signatures: `Signature-Input` / `Signature` parsed with sfv, the
//! signature base built per §2.5. Verification is the inbound path; signing exists for tests
//! and for peers that want RFC 9421.

use chrono::{DateTime, Utc};
use http::header::{HeaderName, HeaderValue};
use http::{HeaderMap, Method};
use sfv::{BareItem, Dictionary, InnerList, Item, ListEntry, Parameters, Parser};
use url::Url;

use super::base::{serialize_inner_list, signature_base};
use super::keys::{Algorithm, PublicKey, SigningKey};
use super::pem::b64_encode;
use super::{IncomingRequest, ParsedSignature, Scheme, SignatureError, digest, header_value};

/// One labelled RFC 9421 signature with its signature base already built.
#[derive(Clone, Debug)]
pub struct Signature {
    /// The dictionary label (e.g. `sig1`).
    pub label: String,
    /// Covered component names, in order.
    pub components: Vec<String>,
    /// The `keyid` parameter, as sent.
    pub key_id: String,
    /// The `alg` parameter; `None` means "infer from the key".
    pub algorithm: Option<Algorithm>,
    /// The `created` parameter (unix seconds).
    pub created: i64,
    /// The `expires` parameter (unix seconds), if any.
    pub expires: Option<i64>,
    /// The signature base (§2.5), ending with the `"@signature-params"` line.
    pub base: String,
    /// The signature bytes from the `Signature` field.
    pub signature: Vec<u8>,
}

impl Signature {
    /// Checks the signature over [`base`](Self::base) with a PEM public key.
    pub fn verify(&self, public_key_pem: &str) -> Result<(), SignatureError> {
        PublicKey::from_pem(public_key_pem)?.verify(
            self.algorithm,
            self.base.as_bytes(),
            &self.signature,
        )
    }

    /// Whether `name` is among the covered components.
    pub fn covers(&self, name: &str) -> bool {
        self.components.iter().any(|c| c == name)
    }
}

/// A label and what parsing its signature gave.
pub type Labelled = (String, Result<Signature, SignatureError>);

/// Parses every label of `Signature-Input`, in order, pairing each with its `Signature`.
/// The outer error is for missing or unparsable fields; inner ones are per label.
pub fn parse_all(req: &IncomingRequest) -> Result<Vec<Labelled>, SignatureError> {
    let inputs = dictionary(req.headers, "signature-input")?.ok_or(SignatureError::Missing)?;
    let signatures = dictionary(req.headers, "signature")?
        .ok_or_else(|| SignatureError::Malformed("Signature-Input without Signature".into()))?;
    Ok(inputs
        .iter()
        .map(|(label, entry)| (label.clone(), parse_entry(req, label, entry, &signatures)))
        .collect())
}

/// Parses the signature with this `label`, building its base, with no policy checks.
pub fn parse_label(req: &IncomingRequest, label: &str) -> Result<Signature, SignatureError> {
    parse_all(req)?
        .into_iter()
        .find(|(l, _)| l == label)
        .map(|(_, sig)| sig)
        .unwrap_or_else(|| {
            Err(SignatureError::Malformed(format!(
                "no signature labelled {label:?}"
            )))
        })
}

/// Signs an outgoing request (label `sig1`, `rsa-v1_5-sha256`) covering `@method`,
/// `@target-uri`, `@authority` and, with a body, `content-digest` (which it sets).
pub fn sign_request_at(
    method: &Method,
    url: &Url,
    headers: &mut HeaderMap,
    body: Option<&[u8]>,
    key_id: &str,
    key: &SigningKey,
    now: DateTime<Utc>,
) -> Result<(), SignatureError> {
    let mut components = vec!["@method", "@target-uri", "@authority"];
    if let Some(body) = body {
        let value = HeaderValue::from_str(&digest::content_digest_header(body))
            .map_err(|_| SignatureError::Crypto("bad Content-Digest value".into()))?;
        headers.insert(HeaderName::from_static("content-digest"), value);
        components.push("content-digest");
    }
    let items = components
        .iter()
        .map(|c| Item::new(BareItem::String(c.to_string())))
        .collect();
    let mut params = Parameters::new();
    params.insert("created".into(), BareItem::Integer(now.timestamp()));
    params.insert("keyid".into(), BareItem::String(key_id.into()));
    params.insert("alg".into(), BareItem::String("rsa-v1_5-sha256".into()));
    let inner = InnerList::with_params(items, params);
    let serialized = serialize_inner_list(&inner)?;
    let components: Vec<String> = components.into_iter().map(String::from).collect();
    let base = signature_base(method, url, headers, &components, &serialized)?;
    let signature = b64_encode(&key.sign_sha256(base.as_bytes())?);
    for (name, value) in [
        ("signature-input", format!("sig1={serialized}")),
        ("signature", format!("sig1=:{signature}:")),
    ] {
        let value = HeaderValue::from_str(&value)
            .map_err(|_| SignatureError::Malformed(format!("bad {name} value")))?;
        headers.insert(HeaderName::from_static(name), value);
    }
    Ok(())
}

/// Applies the policy described on [`super::parse`]: the first label that passes wins;
/// otherwise the first label's error is returned.
pub(super) fn parse_request(
    req: &IncomingRequest,
    now: DateTime<Utc>,
    window: chrono::Duration,
) -> Result<ParsedSignature, SignatureError> {
    let mut first_error = None;
    for (_, candidate) in parse_all(req)? {
        match candidate.and_then(|sig| check_policy(req, sig, now, window)) {
            Ok(parsed) => return Ok(parsed),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or_else(|| SignatureError::Malformed("empty Signature-Input".into())))
}

fn check_policy(
    req: &IncomingRequest,
    sig: Signature,
    now: DateTime<Utc>,
    window: chrono::Duration,
) -> Result<ParsedSignature, SignatureError> {
    let key_id = super::parse_key_id(&sig.key_id)?;
    super::policy::check_rfc9421(req, &sig, now, window)?;
    Ok(ParsedSignature {
        scheme: Scheme::Rfc9421,
        key_id,
        algorithm: sig.algorithm,
        message: sig.base,
        signature: sig.signature,
    })
}

fn parse_entry(
    req: &IncomingRequest,
    label: &str,
    entry: &ListEntry,
    signatures: &Dictionary,
) -> Result<Signature, SignatureError> {
    let malformed =
        |why: &str| SignatureError::Malformed(format!("Signature-Input {label}: {why}"));
    let ListEntry::InnerList(inner) = entry else {
        return Err(malformed("not an inner list"));
    };
    let mut components: Vec<String> = Vec::with_capacity(inner.items.len());
    for item in &inner.items {
        let name = item
            .bare_item
            .as_str()
            .ok_or_else(|| malformed("component is not a string"))?;
        if let Some(param) = item.params.keys().next() {
            return Err(SignatureError::Unsupported(format!(
                "component parameter {name};{param}"
            )));
        }
        if name.bytes().any(|b| b.is_ascii_uppercase()) || components.iter().any(|c| c == name) {
            return Err(malformed(&format!(
                "component {name:?} is not lowercase or is repeated"
            )));
        }
        components.push(name.to_string());
    }
    let params = &inner.params;
    let int = |name: &str| {
        params.get(name).map(|v| {
            v.as_int()
                .ok_or_else(|| malformed(&format!("{name} is not an integer")))
        })
    };
    let algorithm = match params.get("alg").map(|v| v.as_str()) {
        None => None,
        Some(Some("rsa-v1_5-sha256")) => Some(Algorithm::RsaV15Sha256),
        Some(Some("rsa-pss-sha512")) => Some(Algorithm::RsaPssSha512),
        Some(Some("ed25519")) => Some(Algorithm::Ed25519),
        Some(Some(other)) => return Err(SignatureError::Unsupported(format!("alg {other:?}"))),
        Some(None) => return Err(malformed("alg is not a string")),
    };
    let signature = match signatures.get(label) {
        Some(ListEntry::Item(item)) => item.bare_item.as_byte_seq().cloned(),
        _ => None,
    };
    let params_value = serialize_inner_list(inner)?;
    Ok(Signature {
        label: label.to_string(),
        key_id: params
            .get("keyid")
            .and_then(BareItem::as_str)
            .ok_or_else(|| malformed("no keyid string"))?
            .to_string(),
        algorithm,
        created: int("created").ok_or_else(|| malformed("no created"))??,
        expires: int("expires").transpose()?,
        base: signature_base(
            req.method,
            req.target_uri,
            req.headers,
            &components,
            &params_value,
        )?,
        signature: signature.ok_or_else(|| malformed("no matching byte sequence in Signature"))?,
        components,
    })
}

fn dictionary(headers: &HeaderMap, name: &str) -> Result<Option<Dictionary>, SignatureError> {
    let Some(value) = header_value(headers, name)? else {
        return Ok(None);
    };
    let dict = Parser::parse_dictionary(value.as_bytes())
        .map_err(|e| SignatureError::Malformed(format!("{name}: {e}")))?;
    Ok(Some(dict))
}
