//! Wire objects: how co-ops, stories, remote actors and collections look as JSON.

pub mod collections;
pub mod coop;
pub mod note;
pub mod remote_actor;

use chrono::{DateTime, SecondsFormat, Utc};

/// The ActivityStreams public collection.
pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// Formats stored milliseconds as an RFC 3339 timestamp, as ActivityPub expects.
pub fn timestamp(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Parses an RFC 3339 timestamp into milliseconds.
pub fn parse_timestamp(text: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.timestamp_millis())
}
