//! `Follow`: received when someone follows a co-op here; sent when a co-op follows out.

use serde_json::{Value, json};
use url::Url;

use super::{Incoming, envelope, id_of};
use crate::app::Node;
use crate::content::coops::{self, Coop};
use crate::db::remote_actors::RemoteActorRow;
use crate::federation::objects::remote_actor;
use crate::federation::urls;
use crate::{AppError, db, delivery};

/// Records the follow of a co-op here, and accepts it unless the co-op approves by hand.
pub async fn receive(ctx: &Incoming<'_>, id: &Url, object: Option<&Value>) -> Result<(), AppError> {
    let target =
        id_of(object).ok_or_else(|| AppError::BadRequest("Follow has no object".into()))?;
    let handle = urls::coop_handle_of(&ctx.node.base, &target)
        .ok_or_else(|| AppError::NotFound(format!("{target} is not a co-op on this node")))?;
    let coop = coops::find(ctx.node, &handle).await?;
    let actor = remote_actor::resolve(ctx.node, ctx.signer, ctx.budget).await?;
    let state =
        crate::content::followers::receive_follow(ctx.node, &coop, &actor, id.as_str()).await?;
    if state == "accepted" && crate::directory::actor::is_directory(&coop) {
        crate::directory::consent::follow_back(ctx.node, &actor.id).await?;
    }
    Ok(())
}

/// Queues a Follow of `target` by `coop`; returns the Follow's id (which stays resolvable).
pub async fn send(
    node: &Node,
    conn: &mut db::Conn,
    coop: &Coop,
    target: &RemoteActorRow,
) -> Result<Url, AppError> {
    let id = urls::new_activity(&node.base);
    let actor = urls::coop(&node.base, &coop.row.handle);
    let activity = envelope(&id, "Follow", &actor, json!(target.id));
    delivery::enqueue(
        conn,
        Some(coop.row.id),
        &activity,
        std::slice::from_ref(&target.inbox),
    )
    .await?;
    Ok(id)
}
