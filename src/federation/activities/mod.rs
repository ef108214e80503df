//! Activities, one file each, holding both directions: `send` builds the JSON and queues
//! it; `receive` checks what the signer may do and calls `content`.

use serde_json::Value;
use url::Url;

use crate::AppError;
use crate::app::Node;
use crate::federation::fetch::FetchBudget;
use crate::federation::origin::{origin_of, same_origin};

pub mod accept;
pub mod announce;
pub mod create;
pub mod delete;
pub mod flag;
pub mod follow;
pub mod like;
pub mod reject;
pub mod undo;
pub mod update;

/// What handling one incoming activity may use and must respect.
pub struct Incoming<'a> {
    pub node: &'a Node,
    /// The actor whose key signed the request (or the local sender, in-process).
    pub signer: &'a Url,
    /// Remote fetches this activity may still cause.
    pub budget: &'a FetchBudget,
}

/// The id of a value that is either a URL string or an object with an `id`.
pub fn id_of(value: Option<&Value>) -> Option<Url> {
    let value = value?;
    let text = value
        .as_str()
        .or_else(|| value.get("id").and_then(Value::as_str))?;
    Url::parse(text).ok()
}

/// The `type` of an object, or "" when absent.
pub fn type_of(value: Option<&Value>) -> &str {
    value
        .and_then(|v| v.get("type"))
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// Requires `url` to be on the signer's origin.
pub fn require_signer_origin(ctx: &Incoming<'_>, url: &Url, what: &str) -> Result<(), AppError> {
    if same_origin(url, ctx.signer) {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "{what} {url} is not on the signer's origin {}",
            origin_of(ctx.signer)
        )))
    }
}

/// Checks the envelope (actor is the signer; id on the signer's origin) and hands the
/// activity to its handler. Unknown types are accepted and ignored.
pub async fn receive(ctx: &Incoming<'_>, activity: &Value) -> Result<(), AppError> {
    let kind = activity
        .get("type")
        .and_then(Value::as_str)
        .ok_or_else(|| AppError::BadRequest("activity has no type".into()))?;
    let id = id_of(activity.get("id"))
        .ok_or_else(|| AppError::BadRequest("activity has no valid id".into()))?;
    let actor = id_of(activity.get("actor"))
        .ok_or_else(|| AppError::BadRequest("activity has no valid actor".into()))?;
    if &actor != ctx.signer {
        return Err(AppError::Unauthorized(format!(
            "request signed by {} but the activity's actor is {actor}",
            ctx.signer
        )));
    }
    require_signer_origin(ctx, &id, "activity id")?;
    let object = activity.get("object");
    match kind {
        "Follow" => follow::receive(ctx, &id, object).await,
        "Accept" => accept::receive(ctx, object).await,
        "Reject" => reject::receive(ctx, object).await,
        "Undo" => undo::receive(ctx, object).await,
        "Create" => create::receive(ctx, object).await,
        "Update" => update::receive(ctx, object).await,
        "Delete" => delete::receive(ctx, object).await,
        "Announce" => announce::receive(ctx, &id, activity).await,
        "Like" => like::receive(ctx, &id, object).await,
        "Flag" => flag::receive(ctx, &id, activity).await,
        other => {
            tracing::debug!(kind = other, %id, "ignoring an activity type this node does not handle");
            Ok(())
        }
    }
}

/// Builds a plain activity envelope from a local actor.
pub fn envelope(id: &Url, kind: &str, actor: &Url, object: Value) -> Value {
    serde_json::json!({
        "@context": crate::federation::context::full(),
        "id": id,
        "type": kind,
        "actor": actor,
        "object": object,
    })
}

/// Where a story's Create, Update and Delete go: its co-op's followers and, for a reply, the
/// author of what it answers (from the actor cache; a local author needs no delivery).
pub async fn story_inboxes(
    conn: &mut crate::db::Conn,
    story: &crate::content::stories::Story,
) -> Result<Vec<String>, AppError> {
    let mut inboxes = crate::db::followers::delivery_inboxes(conn, story.coop.id).await?;
    if let Some(author) = &story.row.reply_to_actor {
        add_inbox_of(conn, author, &mut inboxes).await?;
    }
    Ok(inboxes)
}

/// Adds a cached remote actor's (shared) inbox to `inboxes`, once.
pub async fn add_inbox_of(
    conn: &mut crate::db::Conn,
    actor_id: &str,
    inboxes: &mut Vec<String>,
) -> Result<(), AppError> {
    if let Some(actor) = crate::db::remote_actors::by_id(conn, actor_id).await? {
        let inbox = actor.shared_inbox.unwrap_or(actor.inbox);
        if !inboxes.contains(&inbox) {
            inboxes.push(inbox);
        }
    }
    Ok(())
}
