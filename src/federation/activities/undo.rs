//! `Undo`: received when a follower unfollows (Undo of their Follow), or someone takes back
//! a like or a boost; sent when a co-op unfollows.

use serde_json::{Value, json};

use super::{Incoming, envelope, id_of, type_of};
use crate::app::Node;
use crate::content::coops::{self, Coop};
use crate::db::remote_actors::RemoteActorRow;
use crate::federation::urls;
use crate::{AppError, db, delivery, directory};

/// Removes the signer as a follower when it undoes its Follow (leaving the directory, if
/// it was the directory it followed); an Undo of an Accept withdraws consent to one of our
/// Follows. Undo of anything else is ignored.
pub async fn receive(ctx: &Incoming<'_>, object: Option<&Value>) -> Result<(), AppError> {
    let inner_id =
        id_of(object).ok_or_else(|| AppError::BadRequest("Undo has no object".into()))?;
    if type_of(object) == "Accept" {
        return undo_accept(ctx, object).await;
    }
    if let Some(inner_actor) = id_of(object.and_then(|o| o.get("actor")))
        && &inner_actor != ctx.signer
    {
        return Err(AppError::Forbidden(format!(
            "{} cannot undo an activity by {inner_actor}",
            ctx.signer
        )));
    }
    match type_of(object) {
        "Like" => return undo_like(ctx, &inner_id, object).await,
        "Announce" => return undo_announce(ctx, &inner_id).await,
        "Follow" => {}
        // Only the id was given: it may be any of ours to undo.
        "" => {
            undo_like(ctx, &inner_id, None).await?;
            undo_announce(ctx, &inner_id).await?;
        }
        _ => return Ok(()),
    }
    let target = id_of(object.and_then(|o| o.get("object")));
    let coop = match target.and_then(|t| urls::coop_handle_of(&ctx.node.base, &t)) {
        Some(handle) => Some(coops::find(ctx.node, &handle).await?),
        None => {
            // Only the Follow's id was given: find the follower by it.
            let mut conn = ctx.node.db.acquire().await?;
            let follower =
                db::followers::by_follow_id(&mut conn, ctx.signer.as_str(), inner_id.as_str())
                    .await?;
            drop(conn);
            match follower {
                Some(f) => Some(coops::by_id(ctx.node, f.coop_id).await?),
                None => None,
            }
        }
    };
    let Some(coop) = coop else {
        return Ok(());
    };
    crate::content::followers::remove(ctx.node, coop.row.id, ctx.signer.as_str()).await?;
    if directory::actor::is_directory(&coop) {
        directory::consent::left(ctx.node, ctx.signer.as_str(), "unfollowed the directory").await?;
    }
    Ok(())
}

/// Undo(Like): the signer takes back its like of a story here.
async fn undo_like(
    ctx: &Incoming<'_>,
    like_id: &url::Url,
    like: Option<&Value>,
) -> Result<(), AppError> {
    let story = match id_of(like.and_then(|l| l.get("object"))) {
        Some(target) => crate::content::conversations::local_story(ctx.node, &target).await?,
        None => None,
    };
    crate::content::reactions::unlike(
        ctx.node,
        like_id.as_str(),
        story.as_ref(),
        ctx.signer.as_str(),
    )
    .await?;
    Ok(())
}

/// Undo(Announce): the signer takes back a boost.
async fn undo_announce(ctx: &Incoming<'_>, announce_id: &url::Url) -> Result<(), AppError> {
    crate::content::reactions::unboost(ctx.node, announce_id.as_str(), ctx.signer.as_str()).await?;
    Ok(())
}

/// Undo(Accept): the signer withdraws its acceptance of one of our Follows.
async fn undo_accept(ctx: &Incoming<'_>, accept: Option<&Value>) -> Result<(), AppError> {
    let Some(follow_id) = id_of(accept.and_then(|a| a.get("object"))) else {
        return Ok(());
    };
    let Some(follow) =
        crate::content::follows::answered(ctx.node, follow_id.as_str(), ctx.signer.as_str(), false)
            .await?
    else {
        return Ok(());
    };
    let coop = coops::by_id(ctx.node, follow.coop_id).await?;
    if directory::actor::is_directory(&coop) {
        directory::consent::left(ctx.node, ctx.signer.as_str(), "withdrew its Accept").await?;
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
