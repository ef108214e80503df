//! `Update`: sent when a story or a co-op's profile changes; received for edited posts and
//! changed actors.

use serde_json::Value;

use super::{Incoming, create, id_of, require_signer_origin, type_of};
use crate::app::Node;
use crate::content::coops::Coop;
use crate::content::stories::Story;
use crate::federation::objects::{coop as coop_object, note, remote_actor};
use crate::{AppError, db, delivery};

/// Actor types whose Update refreshes the actor cache.
const ACTOR_TYPES: &[&str] = &["Person", "Organization", "Service", "Group", "Application"];

/// Queues the Update of an edited story for every follower.
pub async fn send_story(node: &Node, conn: &mut db::Conn, story: &Story) -> Result<(), AppError> {
    let inboxes = super::story_inboxes(conn, story).await?;
    delivery::enqueue(
        conn,
        Some(story.coop.id),
        &note::update(&node.base, story),
        &inboxes,
    )
    .await
}

/// Queues the Update of a co-op's actor for every follower.
pub async fn send_profile(
    node: &Node,
    conn: &mut db::Conn,
    coop: &Coop,
    now_ms: i64,
) -> Result<(), AppError> {
    let inboxes = db::followers::delivery_inboxes(conn, coop.row.id).await?;
    delivery::enqueue(
        conn,
        Some(coop.row.id),
        &coop_object::update_json(&node.base, coop, now_ms),
        &inboxes,
    )
    .await
}

/// Refreshes a changed actor (only the signer itself), or replaces a kept post.
pub async fn receive(ctx: &Incoming<'_>, object: Option<&Value>) -> Result<(), AppError> {
    if ACTOR_TYPES.contains(&type_of(object)) {
        let id =
            id_of(object).ok_or_else(|| AppError::BadRequest("Update has no object id".into()))?;
        require_signer_origin(ctx, &id, "object")?;
        if &id != ctx.signer {
            return Err(AppError::Forbidden(format!(
                "{} cannot update actor {id}",
                ctx.signer
            )));
        }
        let mut row = remote_actor::parse(object.unwrap_or(&Value::Null), None)?;
        let mut conn = ctx.node.db.acquire().await?;
        if let Some(old) = db::remote_actors::by_id(&mut conn, &row.id).await? {
            // Keep the key we verified with when the pushed copy carries none.
            if row.key_id.is_none() {
                row.key_id = old.key_id;
                row.public_key_pem = old.public_key_pem;
            }
        }
        db::remote_actors::upsert(&mut conn, &row).await?;
        drop(conn);
        if ctx.node.config.directory.enabled()
            && let Some(doc) = object
        {
            crate::directory::consent::apply_document(ctx.node, &id, doc).await?;
        }
        return Ok(());
    }
    create::keep_received(ctx, object, false).await
}
