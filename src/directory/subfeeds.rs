//! Sub-feeds: the directory's sector and nation sub-actors (`@film@dir`, `@scotland@dir`).
//! Each is a `Service` stored beside the co-ops (kind `subfeed`), with its own key pair,
//! followers and deliveries, like the directory's own actor. It boosts only the new
//! stories of listed co-ops in its slice (`boost::announce`), so people can follow one
//! sector or nation instead of the whole movement. Following one is not consent to be
//! listed: only a Follow of `@directory` is.

use crate::app::Node;
use crate::content::coops::{self, Coop};
use crate::content::profile::{Profile, ProfileInput};
use crate::content::vocab::{Nation, Sector, display_name};
use crate::db::subfeeds::SubfeedRow;
use crate::federation::signatures::keys::generate_rsa_keypair;
use crate::{AppError, db, now_ms};

/// The `coops.kind` of a sub-actor.
pub const KIND: &str = "subfeed";

/// The slice of the directory a sub-feed boosts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slice {
    Sector(Sector),
    Nation(Nation),
}

impl Slice {
    /// Parses a facet (`sector` or `nation`) and its code; a bad one is a 422 naming the
    /// allowed values.
    pub fn parse(facet: &str, code: &str) -> Result<Slice, AppError> {
        match facet.trim() {
            "sector" => Ok(Slice::Sector(Sector::parse(code)?)),
            "nation" => Ok(Slice::Nation(Nation::parse(code)?)),
            other => Err(AppError::Invalid(format!(
                "facet: '{other}' is not one of sector, nation"
            ))),
        }
    }

    /// `sector` or `nation`.
    pub fn facet(self) -> &'static str {
        match self {
            Slice::Sector(_) => "sector",
            Slice::Nation(_) => "nation",
        }
    }

    /// The code, which is also the sub-actor's handle.
    pub fn code(self) -> &'static str {
        match self {
            Slice::Sector(s) => s.as_str(),
            Slice::Nation(n) => n.as_str(),
        }
    }

    /// The sub-actor's profile: its name and summary (the sector and nation columns,
    /// required of every row, are its own slice where it has one; they are not published).
    fn profile(self, domain: &str) -> ProfileInput {
        let label = display_name(self.code());
        let (name, which, sector, nation) = match self {
            Slice::Sector(s) => (
                format!("{label} co-ops"),
                format!("the {} co-ops", label.to_lowercase()),
                s,
                Nation::England,
            ),
            Slice::Nation(n) => (
                format!("Co-ops in {label}"),
                format!("the co-ops in {label}"),
                Sector::Other,
                n,
            ),
        };
        ProfileInput {
            name: Some(format!("{name} — directory on {domain}")),
            summary: Some(format!(
                "New stories from {which} listed in the directory on {domain}. For the \
                 whole movement, follow @directory@{domain}. To be listed, a co-op follows \
                 @directory@{domain}, not this account."
            )),
            nation: Some(nation.as_str().into()),
            sectors: vec![sector.as_str().into()],
            ..Default::default()
        }
    }
}

/// The slice a sub-feed's handle names (a sub-feed's handle is its code; sector and nation
/// codes never coincide).
pub fn slice_of_handle(handle: &str) -> Option<Slice> {
    Slice::parse("sector", handle)
        .or_else(|_| Slice::parse("nation", handle))
        .ok()
}

fn taken(handle: &str, kind: &str) -> AppError {
    AppError::Conflict(if kind == KIND {
        format!("sub-feed: @{handle} already exists")
    } else {
        format!("handle: '{handle}' is already taken by a co-op")
    })
}

/// Creates the sub-actor of `slice` with its own RSA-2048 key pair (bringing back, with a
/// new key pair, one that was deleted). 404 on a node without the directory; 409 when it
/// exists already or its handle is taken.
pub async fn create(node: &Node, slice: Slice) -> Result<Coop, AppError> {
    super::actor::find(node).await?;
    let handle = slice.code();
    let mut conn = node.db.acquire().await?;
    let retired = match db::coops::by_handle(&mut conn, handle).await? {
        Some(row) if row.kind == coops::RETIRED => Some(row.id),
        Some(row) => return Err(taken(handle, &row.kind)),
        None => None,
    };
    drop(conn);
    let profile = Profile::create(&slice.profile(&node.domain()))?;
    let keys = generate_rsa_keypair().map_err(|e| AppError::Internal(e.to_string()))?;
    let now = now_ms();
    let mut tx = db::begin(&node.db).await?;
    let id = match retired {
        Some(id) => {
            // Its Delete must not reach anyone once it is back under the same address.
            db::deliveries::cancel_pending_of(&mut tx, id, "the sub-feed was created again")
                .await?;
            db::coops::set_keys(&mut tx, id, &keys.private_key_pem, &keys.public_key_pem).await?;
            db::coops::update(&mut tx, id, &profile.columns(), now).await?;
            db::coops::set_kind(&mut tx, id, KIND, now).await?;
            id
        }
        None => db::coops::insert(
            &mut tx,
            KIND,
            handle,
            &profile.columns(),
            &keys.private_key_pem,
            &keys.public_key_pem,
            now,
        )
        .await
        .map_err(|e| db::conflict_or(e, || format!("handle: '{handle}' is already taken")))?,
    };
    db::subfeeds::insert(&mut tx, id, slice.facet(), handle, now)
        .await
        .map_err(|e| db::conflict_or(e, || format!("sub-feed: @{handle} already exists")))?;
    tx.commit().await?;
    coops::by_id(node, id).await
}

/// Deletes the sub-feed `@handle`: a Delete of the actor goes to its followers (signed with
/// its key, which is kept for that), who then forget it; it boosts nothing more and its
/// addresses answer 410 Gone. Creating it again brings it back with a new key pair. 404
/// when there is no such sub-feed.
pub async fn delete(node: &Node, handle: &str) -> Result<(), AppError> {
    let actor = coops::find(node, handle).await?;
    if actor.row.kind != KIND {
        return Err(AppError::NotFound(format!(
            "sub-feed: there is no sub-feed @{handle}"
        )));
    }
    let mut tx = db::begin(&node.db).await?;
    crate::federation::activities::delete::send_actor(node, &mut tx, &actor).await?;
    db::followers::remove_all_of(&mut tx, actor.row.id).await?;
    db::subfeeds::remove(&mut tx, actor.row.id).await?;
    db::coops::set_kind(&mut tx, actor.row.id, coops::RETIRED, now_ms()).await?;
    tx.commit().await?;
    node.deliveries_queued.notify_one();
    Ok(())
}

/// Every sub-feed with its follower count, sectors first. 404 without the directory.
pub async fn list(node: &Node) -> Result<Vec<SubfeedRow>, AppError> {
    super::actor::find(node).await?;
    let mut conn = node.db.acquire().await?;
    Ok(db::subfeeds::all(&mut conn).await?)
}

/// The sub-actors whose slice includes the listed actor `actor_id` (one of its sectors, or
/// its nation).
pub async fn covering(node: &Node, actor_id: &str) -> Result<Vec<Coop>, AppError> {
    let mut conn = node.db.acquire().await?;
    let ids = db::subfeeds::covering(&mut conn, actor_id).await?;
    drop(conn);
    let mut actors = Vec::with_capacity(ids.len());
    for id in ids {
        actors.push(coops::by_id(node, id).await?);
    }
    Ok(actors)
}
