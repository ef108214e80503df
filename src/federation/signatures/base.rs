//! The RFC 9421 §2.5 signature base: one `"name": value` line per covered component, then
//! the `"@signature-params"` line (the inner list re-serialized by sfv).

use http::{HeaderMap, Method};
use sfv::{InnerList, ListEntry, SerializeValue};
use url::Url;

use super::cavage::{authority, path_and_query};
use super::{SignatureError, header_value};

/// Builds the signature base for `components` and the serialized `@signature-params` value.
pub fn signature_base(
    method: &Method,
    url: &Url,
    headers: &HeaderMap,
    components: &[String],
    params: &str,
) -> Result<String, SignatureError> {
    let mut base = String::new();
    for name in components {
        let value = match name.as_str() {
            "@method" => method.as_str().to_string(),
            "@target-uri" => {
                let mut url = url.clone();
                url.set_fragment(None);
                url.to_string()
            }
            "@authority" => authority(url)?.to_ascii_lowercase(),
            "@scheme" => url.scheme().to_ascii_lowercase(),
            "@request-target" => path_and_query(url),
            "@path" => url.path().to_string(),
            "@query" => format!("?{}", url.query().unwrap_or("")),
            derived if derived.starts_with('@') => {
                return Err(SignatureError::Unsupported(format!("component {derived}")));
            }
            field => header_value(headers, field)?
                .ok_or_else(|| SignatureError::MissingHeader(field.into()))?,
        };
        base.push_str(&format!("\"{name}\": {value}\n"));
    }
    base.push_str(&format!("\"@signature-params\": {params}"));
    Ok(base)
}

/// Serializes an inner list with its parameters, as the `@signature-params` value.
pub(super) fn serialize_inner_list(inner: &InnerList) -> Result<String, SignatureError> {
    let list: sfv::List = vec![ListEntry::InnerList(inner.clone())];
    list.serialize_value()
        .map_err(|e| SignatureError::Malformed(format!("cannot serialize signature params: {e}")))
}
