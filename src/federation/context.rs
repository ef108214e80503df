//! The JSON-LD `@context` of every document this node serves, including the `mutual`
//! extension terms that carry a co-op's structured profile (see docs/federation.md).

use serde_json::{Value, json};

/// The namespace of mutual's own terms.
pub const MUTUAL_NS: &str = "https://joinmutual.org/ns#";

/// The context of actors, notes and activities.
pub fn full() -> Value {
    json!([
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1",
        {
            "toot": "http://joinmastodon.org/ns#",
            "schema": "http://schema.org#",
            "mutual": MUTUAL_NS,
            "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
            "sensitive": "as:sensitive",
            "Hashtag": "as:Hashtag",
            // The ActivityStreams context makes `formerType` base-relative (`@id`), so
            // `"formerType": "Note"` would be a relative IRI; vocab-relative, it is as:Note
            // (w3c/activitystreams#642).
            "formerType": { "@id": "as:formerType", "@type": "@vocab" },
            "featured": { "@id": "toot:featured", "@type": "@id" },
            "discoverable": "toot:discoverable",
            "indexable": "toot:indexable",
            "PropertyValue": "schema:PropertyValue",
            "value": "schema:value",
            "legalForm": "mutual:legalForm",
            "registrar": "mutual:registrar",
            "registeredNumber": "mutual:registeredNumber",
            "membershipType": "mutual:membershipType",
            "sectors": { "@id": "mutual:sector", "@container": "@set" },
            "nation": "mutual:nation",
            "region": "mutual:region",
            "locality": "mutual:locality",
            "foundedYear": "mutual:foundedYear",
            "memberCount": "mutual:memberCount",
            "website": { "@id": "mutual:website", "@type": "@id" },
            "directoryBoost": "mutual:directoryBoost",
            "storyKind": "mutual:storyKind"
        }
    ])
}

/// The plain ActivityStreams context, for collections.
pub fn activitystreams() -> Value {
    json!("https://www.w3.org/ns/activitystreams")
}
