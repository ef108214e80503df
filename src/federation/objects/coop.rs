//! A co-op as an ActivityPub `Organization`, with its profile published three ways:
//! `PropertyValue` attachments (shown by Mastodon), typed `mutual:` terms (read by the
//! directory), and `location` as a `Place`.

use serde_json::{Map, Value, json};
use url::Url;

use super::{PUBLIC, timestamp};
use crate::content::coops::Coop;
use crate::content::profile::Profile;
use crate::content::{html, media};
use crate::federation::{context, urls};

/// The actor document of a co-op (with `@context`).
pub fn to_json(base: &Url, coop: &Coop) -> Value {
    let handle = &coop.row.handle;
    let id = urls::coop(base, handle);
    let p = &coop.profile;
    let mut actor = json!({
        "@context": context::full(),
        "id": id,
        "type": "Organization",
        "preferredUsername": handle,
        "name": p.name,
        "summary": html::markdown(&p.summary),
        "url": id,
        "inbox": urls::coop_part(base, handle, "inbox"),
        "outbox": urls::coop_part(base, handle, "outbox"),
        "followers": urls::coop_part(base, handle, "followers"),
        "following": urls::coop_part(base, handle, "following"),
        "featured": urls::coop_part(base, handle, "featured"),
        "endpoints": { "sharedInbox": urls::shared_inbox(base) },
        "publicKey": {
            "id": urls::coop_key(base, handle),
            "owner": id,
            "publicKeyPem": coop.row.public_key_pem,
        },
        "manuallyApprovesFollowers": p.manual_approval,
        "discoverable": p.discoverable,
        "indexable": p.indexable,
        "published": timestamp(coop.row.created_at),
        "updated": timestamp(coop.row.updated_at),
        "attachment": property_values(p),
        "sectors": p.sectors.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        "nation": p.nation.as_str(),
    });
    if let Value::Object(map) = &mut actor {
        if !coop.is_coop() {
            // The directory's Service actors (itself and its sub-feeds) have no co-op profile.
            map.insert("type".into(), json!("Service"));
            for key in ["attachment", "sectors", "nation"] {
                map.remove(key);
            }
        } else {
            typed_terms(map, p);
            for (key, picture) in [("icon", &coop.avatar), ("image", &coop.header)] {
                if let Some(m) = picture {
                    map.insert(
                        key.into(),
                        json!({
                            "type": "Image",
                            "mediaType": m.content_type,
                            "url": media::url(base, &m.hash, &m.content_type),
                        }),
                    );
                }
            }
            map.insert("location".into(), place(p));
            map.insert("directoryBoost".into(), json!(p.directory_boost));
        }
    }
    actor
}

/// The optional typed `mutual:` terms, present only when set.
fn typed_terms(map: &mut Map<String, Value>, p: &Profile) {
    let mut put = |key: &str, value: Option<Value>| {
        if let Some(value) = value {
            map.insert(key.into(), value);
        }
    };
    put("legalForm", p.legal_form.map(|v| json!(v.as_str())));
    put("registrar", p.registrar.as_ref().map(|v| json!(v)));
    put(
        "registeredNumber",
        p.registered_number.as_ref().map(|v| json!(v)),
    );
    put(
        "membershipType",
        p.membership_type.map(|v| json!(v.as_str())),
    );
    put("region", p.region.map(|v| json!(v.as_str())));
    put("locality", p.locality.as_ref().map(|v| json!(v)));
    put("foundedYear", p.founded.map(|v| json!(v)));
    put("memberCount", p.members.map(|v| json!(v)));
    put("website", p.website.as_ref().map(|v| json!(v)));
}

/// Human-readable words for a vocabulary value: "visual-arts" → "Visual arts".
pub fn label(value: &str) -> String {
    crate::content::vocab::display_name(value)
}

/// Where the co-op is, in words: "Hackney, London, England".
pub fn place_name(p: &Profile) -> String {
    let mut parts: Vec<String> = Vec::new();
    parts.extend(p.locality.clone());
    parts.extend(p.region.map(|r| label(r.as_str())));
    parts.push(label(p.nation.as_str()));
    parts.join(", ")
}

fn place(p: &Profile) -> Value {
    let mut place = json!({ "type": "Place", "name": place_name(p) });
    if let (Some(lat), Some(lon), Value::Object(map)) = (p.latitude, p.longitude, &mut place) {
        map.insert("latitude".into(), json!(lat));
        map.insert("longitude".into(), json!(lon));
    }
    place
}

/// Profile fields as Mastodon shows them, the most useful first (Mastodon shows four).
fn property_values(p: &Profile) -> Vec<Value> {
    let mut fields: Vec<(&str, String)> = Vec::new();
    if let Some(site) = &p.website {
        let text = html::escape(site.as_str());
        fields.push(("Website", format!(r#"<a href="{text}" rel="me nofollow noopener noreferrer" target="_blank">{text}</a>"#)));
    }
    let sectors: Vec<String> = p.sectors.iter().map(|s| label(s.as_str())).collect();
    fields.push(("Sector", html::escape(&sectors.join(", "))));
    fields.push(("Region", html::escape(&place_name(p))));
    if let Some(year) = p.founded {
        fields.push(("Founded", year.to_string()));
    }
    if let Some(n) = p.members {
        fields.push(("Members", n.to_string()));
    }
    if let Some(m) = p.membership_type {
        fields.push(("Membership", html::escape(&label(m.as_str()))));
    }
    if let Some(form) = p.legal_form {
        let mut text = label(form.as_str());
        if let Some(number) = &p.registered_number {
            text = format!(
                "{text} ({})",
                [p.registrar.as_deref(), Some(number.as_str())]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ")
            );
        }
        fields.push(("Legal form", html::escape(&text)));
    }
    fields
        .into_iter()
        .map(|(name, value)| json!({ "type": "PropertyValue", "name": name, "value": value }))
        .collect()
}

/// The `Update` that tells followers a co-op's profile changed.
pub fn update_json(base: &Url, coop: &Coop, now_ms: i64) -> Value {
    let id = urls::coop(base, &coop.row.handle);
    let mut object = to_json(base, coop);
    if let Value::Object(map) = &mut object {
        map.remove("@context");
    }
    json!({
        "@context": context::full(),
        "id": format!("{id}#updates/{now_ms}-{}", super::note::short_random()),
        "type": "Update",
        "actor": id,
        "published": timestamp(now_ms),
        "to": [PUBLIC],
        "cc": [urls::coop_part(base, &coop.row.handle, "followers")],
        "object": object,
    })
}
