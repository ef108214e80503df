//! Body digests: the draft-cavage `Digest` header (RFC 3230) and RFC 9530 `Content-Digest`.

use sfv::{BareItem, ListEntry, Parser};
use sha2::{Digest as _, Sha256, Sha512};

use super::SignatureError;
use super::pem::{b64_decode, b64_encode};

/// The `Digest` header value for `body`: `SHA-256=<base64>`.
pub fn digest_header(body: &[u8]) -> String {
    format!("SHA-256={}", b64_encode(&Sha256::digest(body)))
}

/// The `Content-Digest` header value for `body`: `sha-256=:<base64>:`.
pub fn content_digest_header(body: &[u8]) -> String {
    format!("sha-256=:{}:", b64_encode(&Sha256::digest(body)))
}

/// Hashes `body` with a supported algorithm (`sha-256` or `sha-512`, any case); `None` if unsupported.
fn hash(algorithm: &str, body: &[u8]) -> Option<Vec<u8>> {
    match algorithm.to_ascii_lowercase().as_str() {
        "sha-256" => Some(Sha256::digest(body).to_vec()),
        "sha-512" => Some(Sha512::digest(body).to_vec()),
        _ => None,
    }
}

/// Checks a `Digest` header (`SHA-256=..,SHA-512=..`, names case-insensitive) against `body`.
///
/// At least one supported algorithm (SHA-256, SHA-512) must be listed, and every supported
/// one listed must match. Unsupported algorithms are ignored.
pub fn verify_digest_header(value: &str, body: &[u8]) -> Result<(), SignatureError> {
    let mut checked = 0;
    for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (name, b64) = part.split_once('=').ok_or_else(|| {
            SignatureError::Malformed(format!("Digest entry {part:?} has no '='"))
        })?;
        let Some(expected) = hash(name.trim(), body) else {
            continue;
        };
        if b64_decode("Digest value", b64)? != expected {
            return Err(SignatureError::DigestMismatch);
        }
        checked += 1;
    }
    if checked == 0 {
        return Err(SignatureError::Unsupported(format!(
            "no SHA-256 or SHA-512 in Digest header {value:?}"
        )));
    }
    Ok(())
}

/// Checks an RFC 9530 `Content-Digest` header (a structured-field dictionary) against `body`.
///
/// At least one of `sha-256` / `sha-512` must be present and all present must match;
/// other algorithms are ignored.
pub fn verify_content_digest_header(value: &str, body: &[u8]) -> Result<(), SignatureError> {
    let dict = Parser::parse_dictionary(value.as_bytes())
        .map_err(|e| SignatureError::Malformed(format!("Content-Digest: {e}")))?;
    let mut checked = 0;
    for (name, entry) in &dict {
        let Some(expected) = hash(name, body) else {
            continue;
        };
        let got = match entry {
            ListEntry::Item(item) => match &item.bare_item {
                BareItem::ByteSeq(bytes) => bytes,
                _ => return Err(malformed_content_digest(name)),
            },
            ListEntry::InnerList(_) => return Err(malformed_content_digest(name)),
        };
        if *got != expected {
            return Err(SignatureError::DigestMismatch);
        }
        checked += 1;
    }
    if checked == 0 {
        return Err(SignatureError::Unsupported(format!(
            "no sha-256 or sha-512 in Content-Digest header {value:?}"
        )));
    }
    Ok(())
}

fn malformed_content_digest(name: &str) -> SignatureError {
    SignatureError::Malformed(format!("Content-Digest {name} is not a byte sequence"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    const BODY: &[u8] = br#"{"hello": "world"}"#;

    #[test]
    fn digest_headers_have_the_expected_shape() {
        assert_eq!(
            digest_header(b""),
            "SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        );
        assert_eq!(
            content_digest_header(b""),
            "sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:"
        );
    }

    #[test]
    fn digest_accepts_several_algorithms_in_any_case() {
        let sha256 = b64_encode(&Sha256::digest(BODY));
        let sha512 = b64_encode(&Sha512::digest(BODY));
        let value = format!("sha-256={sha256}, SHA-512={sha512}, MD5=xyz");
        verify_digest_header(&value, BODY).unwrap();
        let wrong = format!("{},SHA-512={}", digest_header(BODY), b64_encode(&[0; 64]));
        assert!(matches!(
            verify_digest_header(&wrong, BODY),
            Err(SignatureError::DigestMismatch)
        ));
        assert!(matches!(
            verify_digest_header("MD5=abc", BODY),
            Err(SignatureError::Unsupported(_))
        ));
    }

    #[test]
    fn content_digest_matches_rfc9421_test_request() {
        // The sha-512 Content-Digest of the RFC 9421 Appendix B.2 test request body.
        let value = "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:";
        verify_content_digest_header(value, BODY).unwrap();
        verify_content_digest_header(&content_digest_header(BODY), BODY).unwrap();
        let err = verify_content_digest_header(value, b"{}").unwrap_err();
        assert!(matches!(err, SignatureError::DigestMismatch));
        let err = verify_content_digest_header("sha-256=abc", BODY).unwrap_err();
        assert!(matches!(err, SignatureError::Malformed(_)));
        let err = verify_content_digest_header("md5=:AAAA:", BODY).unwrap_err();
        assert!(matches!(err, SignatureError::Unsupported(_)));
    }
}
