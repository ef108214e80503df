//! `Flag`: a report from another server about actors or stories here (Mastodon sends them
//! from its instance actor, naming the reported account and statuses in `object` and the
//! reporter's comment in `content`). Only the objects on this node are kept; a Flag about
//! nothing here is ignored.

use serde_json::Value;
use url::Url;

use super::{Incoming, id_of};
use crate::AppError;
use crate::content::html;

/// The most objects one report keeps.
const MAX_OBJECTS: usize = 50;

/// Stores the report for the node admin.
pub async fn receive(ctx: &Incoming<'_>, id: &Url, activity: &Value) -> Result<(), AppError> {
    let listed: Vec<&Value> = match activity.get("object") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    };
    let mut objects: Vec<Url> = Vec::new();
    for url in listed.into_iter().filter_map(|o| id_of(Some(o))) {
        if ctx.node.is_local(&url) && !objects.contains(&url) && objects.len() < MAX_OBJECTS {
            objects.push(url);
        }
    }
    if objects.is_empty() {
        tracing::debug!(%id, "ignoring a Flag about nothing on this node");
        return Ok(());
    }
    let comment = activity
        .get("content")
        .and_then(Value::as_str)
        .map(html::plain_text)
        .unwrap_or_default();
    crate::moderation::reports::receive(ctx.node, id.as_str(), ctx.signer, &objects, &comment)
        .await?;
    Ok(())
}
