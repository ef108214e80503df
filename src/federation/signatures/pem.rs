//! PEM and base64 helpers, tolerant of the variations seen in actors' `publicKeyPem`.

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use super::SignatureError;

/// Standard base64 that accepts input with or without `=` padding.
const LENIENT_B64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Decodes base64 with or without padding; `what` names the field for the error message.
pub(super) fn b64_decode(what: &str, text: &str) -> Result<Vec<u8>, SignatureError> {
    LENIENT_B64
        .decode(text.trim())
        .map_err(|_| SignatureError::Malformed(format!("{what} is not valid base64")))
}

/// Standard padded base64.
pub(super) fn b64_encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub(super) fn pem_encode(label: &str, der: &[u8]) -> String {
    let b64 = b64_encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// Splits a PEM into its label and DER bytes.
pub(super) fn pem_decode(pem: &str) -> Result<(String, Vec<u8>), SignatureError> {
    let bad = |why: &str| SignatureError::BadKey(format!("invalid PEM: {why}"));
    let rest = pem
        .trim()
        .strip_prefix("-----BEGIN ")
        .ok_or_else(|| bad("no BEGIN line"))?;
    let (label, rest) = rest
        .split_once("-----")
        .ok_or_else(|| bad("unterminated BEGIN line"))?;
    let end = format!("-----END {label}-----");
    let (body, _) = rest
        .split_once(end.as_str())
        .ok_or_else(|| bad("no matching END line"))?;
    let body: String = body.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let der = LENIENT_B64
        .decode(body)
        .map_err(|_| bad("body is not base64"))?;
    Ok((label.to_string(), der))
}
