//! `Undo`: received when a follower unfollows (Undo of their Follow); sent when a co-op unfollows.

use serde_json::{Value, json};

use super::{Incoming, envelope, id_of, type_of};
use crate::app::Node;
use crate::content::coops::{self, Coop};
use crate::db::remote_actors::RemoteActorRow;
use crate::federation::urls;
use crate::{AppError, db, delivery};

/// Removes the signer as a follower when it undoes its Follow. Undo of anything else is ignored.
pub async fn receive(ctx: &Incoming<'_>, object: Option<&Value>) -> Result<(), AppError> {
    let follow_id =
        id_of(object).ok_or_else(|| AppError::BadRequest("Undo has no object".into()))?;
    let kind = type_of(object);
    if !kind.is_empty() && kind != "Follow" {
        return Ok(());
    }
    if let Some(inner_actor) = id_of(object.and_then(|o| o.get("actor")))
        && &inner_actor != ctx.signer
    {
        return Err(AppError::Forbidden(format!(
            "{} cannot undo a Follow by {inner_actor}",
            ctx.signer
        )));
    }
    let target = id_of(object.and_then(|o| o.get("object")));
    match target.and_then(|t| urls::coop_handle_of(&ctx.node.base, &t)) {
        Some(handle) => {
            let coop = coops::find(ctx.node, &handle).await?;
            crate::content::followers::remove(ctx.node, coop.row.id, ctx.signer.as_str()).await?;
        }
        None => {
            // Only the Follow's id was given: find the follower by it.
            let mut conn = ctx.node.db.acquire().await?;
            db::followers::remove_by_follow_id(&mut conn, ctx.signer.as_str(), follow_id.as_str())
                .await?;
        }
    }
    Ok(())
}

/// Queues an Undo of `coop`'s Follow `follow_id` of `target`.
pub async fn send_follow(
    node: &Node,
    conn: &mut db::Conn,
    coop: &Coop,
    target: &RemoteActorRow,
    follow_id: &str,
) -> Result<(), AppError> {
    let id = urls::new_activity(&node.base);
    let actor = urls::coop(&node.base, &coop.row.handle);
    let follow = json!({ "id": follow_id, "type": "Follow", "actor": actor, "object": target.id });
    let activity = envelope(&id, "Undo", &actor, follow);
    delivery::enqueue(
        conn,
        Some(coop.row.id),
        &activity,
        std::slice::from_ref(&target.inbox),
    )
    .await
}
