//! `Accept`: sent when a co-op accepts a follower; received when someone accepts a co-op's Follow.

use serde_json::{Value, json};

use super::{Incoming, envelope, id_of};
use crate::app::Node;
use crate::content::coops::Coop;
use crate::federation::urls;
use crate::{AppError, db, delivery};

/// The Follow being answered, embedded so the follower need not fetch it.
pub fn embedded_follow(node: &Node, coop: &Coop, follower: &str, follow_id: &str) -> Value {
    json!({
        "id": follow_id,
        "type": "Follow",
        "actor": follower,
        "object": urls::coop(&node.base, &coop.row.handle),
    })
}

/// Queues an Accept of `follow_id` to the follower's inbox.
pub async fn send(
    node: &Node,
    conn: &mut db::Conn,
    coop: &Coop,
    follower: &str,
    inbox: &str,
    follow_id: &str,
) -> Result<(), AppError> {
    let id = urls::new_activity(&node.base);
    let actor = urls::coop(&node.base, &coop.row.handle);
    let activity = envelope(
        &id,
        "Accept",
        &actor,
        embedded_follow(node, coop, follower, follow_id),
    );
    delivery::enqueue(conn, Some(coop.row.id), &activity, &[inbox.to_string()]).await
}

/// Marks a co-op's Follow accepted; the signer must be the followed actor. An Accept of
/// the directory's Follow is the co-op's consent to be listed.
pub async fn receive(ctx: &Incoming<'_>, object: Option<&Value>) -> Result<(), AppError> {
    let follow_id =
        id_of(object).ok_or_else(|| AppError::BadRequest("Accept has no object".into()))?;
    answered(ctx, follow_id.as_str(), true).await
}

/// Records the answer to one of our Follows and tells the directory when it was its Follow.
pub async fn answered(ctx: &Incoming<'_>, follow_id: &str, accepted: bool) -> Result<(), AppError> {
    let Some(follow) =
        crate::content::follows::answered(ctx.node, follow_id, ctx.signer.as_str(), accepted)
            .await?
    else {
        return Ok(());
    };
    let coop = crate::content::coops::by_id(ctx.node, follow.coop_id).await?;
    if crate::directory::actor::is_directory(&coop) {
        crate::directory::consent::follow_answered(ctx.node, &follow, accepted, ctx.budget).await?;
    }
    Ok(())
}
