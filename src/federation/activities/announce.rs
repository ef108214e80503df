//! `Announce`: sent when the directory (or one of its sub-feeds) boosts a listed co-op's story; received from listed
//! actors (they are active).

use serde_json::{Value, json};

use super::{Incoming, id_of};
use crate::app::Node;
use crate::content::coops::Coop;
use crate::federation::objects::{PUBLIC, timestamp};
use crate::federation::{context, urls};
use crate::{AppError, db, delivery, now_ms};

/// Queues an Announce of `object_id` by `booster` to its followers.
pub async fn send(
    node: &Node,
    conn: &mut db::Conn,
    booster: &Coop,
    object_id: &str,
) -> Result<(), AppError> {
    let id = urls::new_activity(&node.base);
    let actor = urls::coop(&node.base, &booster.row.handle);
    let activity = json!({
        "@context": context::full(),
        "id": id,
        "type": "Announce",
        "actor": actor,
        "published": timestamp(now_ms()),
        "to": [PUBLIC],
        "cc": [urls::coop_part(&node.base, &booster.row.handle, "followers")],
        "object": object_id,
    });
    let inboxes = db::followers::delivery_inboxes(conn, booster.row.id).await?;
    delivery::enqueue(conn, Some(booster.row.id), &activity, &inboxes).await
}

/// Notes that the signer boosted something.
pub async fn receive(ctx: &Incoming<'_>, object: Option<&Value>) -> Result<(), AppError> {
    if id_of(object).is_none() {
        return Err(AppError::BadRequest("Announce has no object".into()));
    }
    crate::directory::ingest::boosted(ctx.node, ctx.signer.as_str()).await
}
