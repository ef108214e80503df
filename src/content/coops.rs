//! Co-ops: create, edit, find and list. An edit announces the new profile to followers.

use crate::app::Node;
use crate::content::media::{self, Purpose};
use crate::content::profile::{Profile, ProfileInput};
use crate::content::vocab::check_handle;
use crate::db::coops::CoopRow;
use crate::db::media::MediaRow;
use crate::federation::signatures::keys::generate_rsa_keypair;
use crate::{AppError, db, federation, now_ms};

/// A co-op with its validated profile and its pictures.
#[derive(Debug, Clone)]
pub struct Coop {
    pub row: CoopRow,
    pub profile: Profile,
    pub avatar: Option<MediaRow>,
    pub header: Option<MediaRow>,
}

impl Coop {
    /// Whether this is a co-op, not one of the directory's `Service` actors (the directory
    /// itself or a sub-feed): those have no co-op profile, stories or feed.
    pub fn is_coop(&self) -> bool {
        self.row.kind == "coop"
    }
}

async fn load(conn: &mut db::Conn, row: CoopRow) -> Result<Coop, AppError> {
    let sectors = db::coops::sectors(conn, row.id).await?;
    let profile = Profile::from_row(&row, &sectors);
    let mut picture = async |hash: &Option<String>| -> Result<Option<MediaRow>, AppError> {
        Ok(match hash {
            Some(h) => db::media::find(conn, h).await?,
            None => None,
        })
    };
    let avatar = picture(&row.avatar_hash).await?;
    let header = picture(&row.header_hash).await?;
    Ok(Coop {
        row,
        profile,
        avatar,
        header,
    })
}

/// Sets the co-op's avatar (`Purpose::Avatar`) or header (`Purpose::Header`) from an
/// upload, and sends an `Update` of the actor with its new `icon` or `image`.
pub async fn set_picture(
    node: &Node,
    handle: &str,
    purpose: Purpose,
    upload: Vec<u8>,
) -> Result<Coop, AppError> {
    if purpose == Purpose::Story {
        return Err(AppError::Internal(
            "a story image is not a co-op picture".into(),
        ));
    }
    let current = find(node, handle).await?;
    let stored = media::store(node, upload, purpose).await?;
    let now = now_ms();
    let mut tx = crate::db::begin(&node.db).await?;
    db::coops::set_picture(
        &mut tx,
        current.row.id,
        purpose == Purpose::Avatar,
        &stored.hash,
        now,
    )
    .await?;
    announce(node, tx, current.row.id, now).await
}

/// Ends a profile change: reloads the co-op, queues the `Update` of its actor in the
/// change's transaction, and commits.
async fn announce(
    node: &Node,
    mut tx: sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    now: i64,
) -> Result<Coop, AppError> {
    let row = db::coops::by_id(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::Internal("co-op vanished while being edited".into()))?;
    let coop = load(&mut tx, row).await?;
    federation::activities::update::send_profile(node, &mut tx, &coop, now).await?;
    tx.commit().await?;
    node.deliveries_queued.notify_one();
    Ok(coop)
}

/// Creates a co-op with its own RSA-2048 key pair.
pub async fn create(node: &Node, handle: &str, input: &ProfileInput) -> Result<Coop, AppError> {
    check_handle(handle)?;
    let profile = Profile::create(input)?;
    let mut conn = node.db.acquire().await?;
    if db::coops::by_handle(&mut conn, handle).await?.is_some() {
        return Err(AppError::Conflict(format!(
            "handle: '{handle}' is already taken"
        )));
    }
    drop(conn);
    let keys = generate_rsa_keypair().map_err(|e| AppError::Internal(e.to_string()))?;
    let mut tx = crate::db::begin(&node.db).await?;
    let id = db::coops::insert(
        &mut tx,
        "coop",
        handle,
        &profile.columns(),
        &keys.private_key_pem,
        &keys.public_key_pem,
        now_ms(),
    )
    .await
    .map_err(|e| db::conflict_or(e, || format!("handle: '{handle}' is already taken")))?;
    let sectors: Vec<&str> = profile.sectors.iter().map(|s| s.as_str()).collect();
    db::coops::set_sectors(&mut tx, id, &sectors).await?;
    let row = db::coops::by_id(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::Internal("co-op vanished while being created".into()))?;
    let coop = load(&mut tx, row).await?;
    tx.commit().await?;
    Ok(coop)
}

/// Applies profile changes and sends an `Update` of the actor to followers, in one transaction.
pub async fn edit(node: &Node, handle: &str, input: &ProfileInput) -> Result<Coop, AppError> {
    let current = find(node, handle).await?;
    if !current.is_coop() {
        return Err(AppError::Invalid(format!(
            "handle: '{handle}' is not a co-op"
        )));
    }
    let profile = current.profile.apply(input)?;
    let now = now_ms();
    let mut tx = crate::db::begin(&node.db).await?;
    db::coops::update(&mut tx, current.row.id, &profile.columns(), now).await?;
    let sectors: Vec<&str> = profile.sectors.iter().map(|s| s.as_str()).collect();
    db::coops::set_sectors(&mut tx, current.row.id, &sectors).await?;
    announce(node, tx, current.row.id, now).await
}

/// The `kind` of an actor row that was deleted (a sub-feed the organiser removed): its URLs
/// answer 410 Gone, and its key signs only the Delete already queued.
pub const RETIRED: &str = "retired";

/// Finds a co-op by handle, or None; 410 for a deleted actor.
pub async fn find_optional(node: &Node, handle: &str) -> Result<Option<Coop>, AppError> {
    let mut conn = node.db.acquire().await?;
    match db::coops::by_handle(&mut conn, handle.trim_start_matches('@')).await? {
        Some(row) if row.kind == RETIRED => {
            Err(AppError::Gone(format!("@{} was deleted", row.handle)))
        }
        Some(row) => Ok(Some(load(&mut conn, row).await?)),
        None => Ok(None),
    }
}

/// Finds a co-op by handle to name it on a page: None when there is none or it was deleted.
pub async fn find_to_name(node: &Node, handle: &str) -> Result<Option<Coop>, AppError> {
    match find_optional(node, handle).await {
        Err(AppError::Gone(_)) => Ok(None),
        other => other,
    }
}

/// Finds a co-op by handle, or a 404 naming it.
pub async fn find(node: &Node, handle: &str) -> Result<Coop, AppError> {
    find_optional(node, handle)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no co-op '{handle}' on this node")))
}

/// Finds a co-op by row id.
pub async fn by_id(node: &Node, id: i64) -> Result<Coop, AppError> {
    let mut conn = node.db.acquire().await?;
    let row = db::coops::by_id(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no co-op with id {id}")))?;
    load(&mut conn, row).await
}

/// Every co-op on this node.
pub async fn list(node: &Node) -> Result<Vec<Coop>, AppError> {
    let mut conn = node.db.acquire().await?;
    let rows = db::coops::all(&mut conn).await?;
    let mut coops = Vec::with_capacity(rows.len());
    for row in rows {
        coops.push(load(&mut conn, row).await?);
    }
    Ok(coops)
}
