//! What an inbox demands of a signature before any key is fetched: freshness, coverage of
//! the method, target and host, and a signed digest that matches the body.

use chrono::{DateTime, Utc};
use http::Method;

use super::cavage::SignatureHeader;
use super::rfc9421::Signature;
use super::{IncomingRequest, SignatureError, digest, header_value};

/// Cavage: `(request-target)`, `host`, and `date` (or `(created)`) signed; `Date` fresh; with a
/// body, `digest` signed and matching.
pub(super) fn check_cavage(
    req: &IncomingRequest,
    header: &SignatureHeader,
    now: DateTime<Utc>,
    window: chrono::Duration,
) -> Result<(), SignatureError> {
    let signed = |name: &str| header.headers.iter().any(|h| h == name);
    for required in ["(request-target)", "host"] {
        if !signed(required) {
            return Err(SignatureError::HeaderNotSigned(required.into()));
        }
    }
    if !signed("date") && !signed("(created)") {
        return Err(SignatureError::HeaderNotSigned("date".into()));
    }
    if signed("date") {
        let date = header_value(req.headers, "date")?
            .ok_or_else(|| SignatureError::MissingHeader("date".into()))?;
        let date = httpdate::parse_http_date(&date)
            .map_err(|_| SignatureError::Malformed(format!("Date {date:?} is not an HTTP date")))?;
        check_time(date.into(), now, window)?;
    }
    check_created_expires(header.created, header.expires, now, window)?;
    if expects_body(req) {
        let digest = header_value(req.headers, "digest")?.ok_or(SignatureError::MissingDigest)?;
        if !signed("digest") {
            return Err(SignatureError::HeaderNotSigned("digest".into()));
        }
        digest::verify_digest_header(&digest, req.body)?;
    }
    Ok(())
}

/// RFC 9421: `@method` and the target covered; `created` fresh, `expires` not past; with a
/// body, `content-digest` (or `digest`) covered and matching.
pub(super) fn check_rfc9421(
    req: &IncomingRequest,
    sig: &Signature,
    now: DateTime<Utc>,
    window: chrono::Duration,
) -> Result<(), SignatureError> {
    if !sig.covers("@method") {
        return Err(SignatureError::HeaderNotSigned("@method".into()));
    }
    let path = sig.covers("@path") || sig.covers("@request-target");
    if !(sig.covers("@target-uri") || (sig.covers("@authority") && path)) {
        return Err(SignatureError::HeaderNotSigned(
            "@target-uri (or @authority and @path)".into(),
        ));
    }
    let query = sig.covers("@target-uri") || sig.covers("@request-target") || sig.covers("@query");
    if req.target_uri.query().is_some() && !query {
        return Err(SignatureError::HeaderNotSigned("@query".into()));
    }
    check_created_expires(Some(sig.created), sig.expires, now, window)?;
    if expects_body(req) {
        let content_digest = header_value(req.headers, "content-digest")?;
        let legacy_digest = header_value(req.headers, "digest")?;
        match (content_digest, legacy_digest) {
            (Some(value), _) if sig.covers("content-digest") => {
                digest::verify_content_digest_header(&value, req.body)?
            }
            (_, Some(value)) if sig.covers("digest") => {
                digest::verify_digest_header(&value, req.body)?
            }
            (None, None) => return Err(SignatureError::MissingDigest),
            _ => return Err(SignatureError::HeaderNotSigned("content-digest".into())),
        }
    }
    Ok(())
}

/// Checks that a signing time is within `window` of `now` both ways.
pub(super) fn check_time(
    at: DateTime<Utc>,
    now: DateTime<Utc>,
    window: chrono::Duration,
) -> Result<(), SignatureError> {
    if at < now - window {
        Err(SignatureError::Stale)
    } else if at > now + window {
        Err(SignatureError::InFuture)
    } else {
        Ok(())
    }
}

/// Checks a unix-seconds `created` (window) and `expires` (not past).
pub(super) fn check_created_expires(
    created: Option<i64>,
    expires: Option<i64>,
    now: DateTime<Utc>,
    window: chrono::Duration,
) -> Result<(), SignatureError> {
    if let Some(created) = created {
        let at = DateTime::from_timestamp(created, 0)
            .ok_or_else(|| SignatureError::Malformed("created is out of range".into()))?;
        check_time(at, now, window)?;
    }
    match expires {
        Some(expires) if expires < now.timestamp() => Err(SignatureError::Expired),
        _ => Ok(()),
    }
}

/// Whether the request carries (or should carry) a body whose digest must be signed.
pub(super) fn expects_body(req: &IncomingRequest) -> bool {
    !req.body.is_empty() || [Method::POST, Method::PUT, Method::PATCH].contains(req.method)
}
