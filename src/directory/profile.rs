//! Reading a listing from an actor document. Actors from `mutual` nodes carry typed terms;
//! for any other actor (a co-op on Mastodon, say) the fields are read, best effort, from
//! `PropertyValue` attachments by label: Region, Sector, Founded, Members, Website.

use serde_json::Value;
use url::Url;

use crate::content::html;
use crate::content::vocab::{LegalForm, MembershipType, Nation, Region, Sector, display_name};
use crate::db::listings::ListingRow;

/// What the directory reads from an actor document.
#[derive(Debug, Clone)]
pub struct ReadProfile {
    pub row: ListingRow,
    pub sectors: Vec<String>,
    /// Whether the actor consents to being listed: `discoverable: true` and no `#nobot`
    /// or `#nodirectory` in its bio.
    pub consents: bool,
}

fn text<'a>(doc: &'a Value, key: &str) -> Option<&'a str> {
    doc.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// The plain-text value of a PropertyValue with this label (case-insensitive).
fn property<'a>(doc: &'a Value, label: &str) -> Option<(String, &'a str)> {
    doc.get("attachment")?.as_array()?.iter().find_map(|a| {
        let name = a.get("name")?.as_str()?;
        if a.get("type")?.as_str()? != "PropertyValue" || !name.trim().eq_ignore_ascii_case(label) {
            return None;
        }
        let raw = a.get("value")?.as_str()?;
        Some((html::plain_text(raw).trim().to_string(), raw))
    })
}

/// Whether a bio opts out of bots or directories. Hashtags are read from the plain text,
/// since Mastodon wraps them in links.
pub fn opts_out(summary_html: &str) -> bool {
    let text = html::plain_text(summary_html).to_lowercase();
    text.split(|c: char| !(c.is_alphanumeric() || c == '#' || c == '_'))
        .any(|word| word == "#nobot" || word == "#nodirectory")
}

/// Finds vocabulary values named in free text ("Film, Visual arts" → film, visual-arts).
fn words_to<T: Copy>(text: &str, all: &[T], slug: fn(T) -> &'static str) -> Vec<T> {
    let lower = text.to_lowercase();
    all.iter()
        .copied()
        .filter(|v| {
            let s = slug(*v);
            lower.contains(&display_name(s).to_lowercase())
                || lower.split([',', ';', '/']).any(|p| p.trim() == s)
        })
        .collect()
}

/// The first href in an HTML fragment, or the text itself when it is a URL.
fn link_in(raw: &str, plain: &str) -> Option<String> {
    let href = raw
        .split("href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next());
    [href, Some(plain)]
        .into_iter()
        .flatten()
        .filter_map(|candidate| Url::parse(candidate.trim()).ok())
        .find(|u| matches!(u.scheme(), "http" | "https"))
        .map(String::from)
}

/// Reads a listing from an actor document (already fetched from its own origin).
pub fn read(doc: &Value, actor_id: &Url) -> ReadProfile {
    let summary = html::sanitize(text(doc, "summary").unwrap_or(""));
    let discoverable = doc.get("discoverable").and_then(Value::as_bool) == Some(true);
    let handle = text(doc, "preferredUsername")
        .map(|u| format!("@{u}@{}", crate::config::authority(actor_id)));
    let typed_sectors: Vec<String> = doc
        .get("sectors")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .filter_map(|s| Sector::parse(s).ok())
                .map(|s| s.as_str().to_string())
                .collect()
        })
        .unwrap_or_default();
    let typed_nation = text(doc, "nation").and_then(|n| Nation::parse(n).ok());
    let (nation, region, sectors) = if typed_nation.is_some() || !typed_sectors.is_empty() {
        let region = text(doc, "region")
            .and_then(|r| Region::parse(r).ok())
            .filter(|_| typed_nation == Some(Nation::England));
        (typed_nation, region, typed_sectors)
    } else {
        let place = property(doc, "Region").map(|(p, _)| p).unwrap_or_default();
        let regions = words_to(&place, Region::ALL, Region::as_str);
        let nations = words_to(&place, Nation::ALL, Nation::as_str);
        let nation = nations
            .first()
            .copied()
            .or(regions.first().map(|_| Nation::England));
        let sector_text = property(doc, "Sector").map(|(p, _)| p).unwrap_or_default();
        let sectors = words_to(&sector_text, Sector::ALL, Sector::as_str)
            .into_iter()
            .map(|s| s.as_str().to_string())
            .collect();
        (nation, regions.first().copied(), sectors)
    };
    let number = |key: &str, label: &str| {
        doc.get(key).and_then(Value::as_i64).or_else(|| {
            property(doc, label).and_then(|(p, _)| p.split_whitespace().next()?.parse().ok())
        })
    };
    let website = text(doc, "website")
        .and_then(|w| Url::parse(w).ok())
        .map(String::from)
        .or_else(|| property(doc, "Website").and_then(|(plain, raw)| link_in(raw, &plain)));
    let row = ListingRow {
        actor_id: actor_id.to_string(),
        handle,
        name: html::plain_text(
            text(doc, "name")
                .or(text(doc, "preferredUsername"))
                .unwrap_or(""),
        ),
        summary: summary.clone(),
        url: text(doc, "url")
            .and_then(|u| Url::parse(u).ok())
            .map(String::from),
        nation: nation.map(|n| n.as_str().to_string()),
        region: region.map(|r| r.as_str().to_string()),
        locality: text(doc, "locality").map(html::plain_text),
        membership_type: text(doc, "membershipType")
            .and_then(|m| MembershipType::parse(m).ok())
            .map(|m| m.as_str().to_string()),
        legal_form: text(doc, "legalForm")
            .and_then(|f| LegalForm::parse(f).ok())
            .map(|f| f.as_str().to_string()),
        registrar: text(doc, "registrar").map(html::plain_text),
        registered_number: text(doc, "registeredNumber").map(html::plain_text),
        founded: number("foundedYear", "Founded").filter(|y| (1750..=2100).contains(y)),
        members: number("memberCount", "Members").filter(|n| *n > 0),
        website,
        indexable: i64::from(doc.get("indexable").and_then(Value::as_bool) == Some(true)),
        boost_allowed: i64::from(doc.get("directoryBoost").and_then(Value::as_bool) != Some(false)),
        ..Default::default()
    };
    ReadProfile {
        row,
        sectors,
        consents: discoverable && !opts_out(&summary),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hashtags_opt_out_even_inside_mastodon_links() {
        assert!(opts_out(
            r##"<p>We make films <a href="https://m.example/tags/nobot" class="mention hashtag" rel="tag">#<span>nobot</span></a></p>"##
        ));
        assert!(opts_out("<p>#NoDirectory please</p>"));
        assert!(!opts_out(
            "<p>no bots were harmed; #nobots is not the tag</p>"
        ));
    }

    #[test]
    fn a_mastodon_actor_is_read_from_its_property_values() {
        let doc = json!({
            "id": "https://m.example/users/coop", "type": "Person", "preferredUsername": "coop",
            "name": "Lens Co-op", "summary": "<p>Photographers</p>", "discoverable": true,
            "attachment": [
                { "type": "PropertyValue", "name": "Region", "value": "Cardiff, Wales" },
                { "type": "PropertyValue", "name": "Sector", "value": "Photography, Visual arts" },
                { "type": "PropertyValue", "name": "Founded", "value": "2015" },
                { "type": "PropertyValue", "name": "Members", "value": "7 members" },
                { "type": "PropertyValue", "name": "Website", "value": "<a href=\"https://lens.example/\" rel=\"me\">lens.example</a>" },
            ]
        });
        let p = read(&doc, &Url::parse("https://m.example/users/coop").unwrap());
        assert!(p.consents);
        assert_eq!(p.row.nation.as_deref(), Some("wales"));
        assert_eq!(p.row.region, None);
        assert_eq!(p.sectors, vec!["visual-arts", "photography"]);
        assert_eq!(p.row.founded, Some(2015));
        assert_eq!(p.row.members, Some(7));
        assert_eq!(p.row.website.as_deref(), Some("https://lens.example/"));
        assert_eq!(p.row.handle.as_deref(), Some("@coop@m.example"));
    }

    #[test]
    fn an_actor_without_explicit_discoverable_does_not_consent() {
        let doc =
            json!({ "id": "https://m.example/u/a", "type": "Person", "preferredUsername": "a" });
        assert!(!read(&doc, &Url::parse("https://m.example/u/a").unwrap()).consents);
    }
}
