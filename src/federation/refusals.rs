//! What blocks refuse in the inbox, with 403 and before anything is stored: activities
//! signed from a blocked domain (checked on the key before it is fetched, and on the
//! signer), and activities of an actor that concern only co-ops that blocked it (a Follow
//! of the co-op, a reply to or a like of its story, a mention of it). Flags are let
//! through: reports go to the node admin, whoever a co-op blocked.

use std::collections::BTreeSet;

use serde_json::Value;
use url::Url;

use super::activities::id_of;
use crate::app::Node;
use crate::{AppError, moderation};

/// How deep nested objects are searched for the co-ops an activity concerns
/// (Undo → Like → story is two levels down).
const MAX_DEPTH: usize = 3;

/// The properties that name whom or what an activity (or its object) is about.
const POINTERS: &[&str] = &[
    "object",
    "target",
    "inReplyTo",
    "to",
    "cc",
    "bto",
    "bcc",
    "audience",
];

/// 403 when a signing key is on a blocked domain: its key is then never fetched.
pub async fn refuse_blocked_key(node: &Node, key_id: &Url) -> Result<(), AppError> {
    if moderation::blocked(node, key_id).await? {
        return Err(blocked_domain(key_id));
    }
    Ok(())
}

/// 403 when the signer's domain is blocked, or when every co-op here that `activity`
/// concerns has blocked the signer.
pub async fn refuse_blocked(node: &Node, signer: &Url, activity: &Value) -> Result<(), AppError> {
    if moderation::blocked(node, signer).await? {
        return Err(blocked_domain(signer));
    }
    if activity.get("type").and_then(Value::as_str) == Some("Flag") {
        return Ok(());
    }
    let blocking = moderation::actors::blocking(node, signer).await?;
    if blocking.is_empty() {
        return Ok(());
    }
    let concerned = concerned_coops(node, activity);
    if !concerned.is_empty() && concerned.iter().all(|h| blocking.contains(h)) {
        return Err(AppError::Forbidden(format!(
            "{signer} is blocked by the co-op this activity concerns"
        )));
    }
    Ok(())
}

fn blocked_domain(url: &Url) -> AppError {
    AppError::Forbidden(format!(
        "{} is on a domain this node blocks",
        crate::config::authority(url)
    ))
}

/// The handles of the co-ops here that an activity points at, through its object, target,
/// reply, addressing or mentions, and theirs in turn.
pub fn concerned_coops(node: &Node, activity: &Value) -> BTreeSet<String> {
    let mut handles = BTreeSet::new();
    collect(node, activity, 0, &mut handles);
    handles
}

fn collect(node: &Node, value: &Value, depth: usize, handles: &mut BTreeSet<String>) {
    if depth > MAX_DEPTH {
        return;
    }
    let Some(map) = value.as_object() else {
        return;
    };
    for key in POINTERS {
        for item in one_or_many(map.get(*key)) {
            if let Some(handle) = id_of(Some(item)).and_then(|url| coop_of(node, &url)) {
                handles.insert(handle);
            }
            if item.is_object() {
                collect(node, item, depth + 1, handles);
            }
        }
    }
    for tag in one_or_many(map.get("tag")) {
        if tag.get("type").and_then(Value::as_str) == Some("Mention")
            && let Some(href) = tag.get("href").and_then(Value::as_str)
            && let Some(handle) = Url::parse(href).ok().and_then(|u| coop_of(node, &u))
        {
            handles.insert(handle);
        }
    }
}

fn one_or_many(value: Option<&Value>) -> Vec<&Value> {
    match value {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    }
}

/// The co-op a URL on this node belongs to: `/coops/{handle}` and everything under it.
fn coop_of(node: &Node, url: &Url) -> Option<String> {
    if !node.is_local(url) {
        return None;
    }
    let handle = url.path().strip_prefix("/coops/")?.split('/').next()?;
    (!handle.is_empty()).then(|| handle.to_string())
}
