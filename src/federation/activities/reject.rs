//! `Reject`: sent when a co-op rejects a follower; received when a co-op's Follow is refused.

use serde_json::Value;

use super::accept::embedded_follow;
use super::{Incoming, envelope, id_of};
use crate::app::Node;
use crate::content::coops::Coop;
use crate::federation::urls;
use crate::{AppError, db, delivery};

/// Queues a Reject of `follow_id` to the follower's inbox.
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
        "Reject",
        &actor,
        embedded_follow(node, coop, follower, follow_id),
    );
    delivery::enqueue(conn, Some(coop.row.id), &activity, &[inbox.to_string()]).await
}

/// Marks a co-op's Follow rejected; the signer must be the followed actor.
pub async fn receive(ctx: &Incoming<'_>, object: Option<&Value>) -> Result<(), AppError> {
    let follow_id =
        id_of(object).ok_or_else(|| AppError::BadRequest("Reject has no object".into()))?;
    super::accept::answered(ctx, follow_id.as_str(), false).await
}
