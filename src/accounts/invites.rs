//! One-time links: the node admin's setup link, invitations to a co-op (with a role) and
//! to be a directory organiser. Each is a 256-bit secret in an absolute URL, stored as its
//! SHA-256, usable once, for 7 days. The person who follows it sets their own password.

use url::Url;

use super::{Account, check_password, check_username, digest, hash_password, secret};
use crate::app::Node;
use crate::content::coops;
use crate::db::accounts::AccountRow;
use crate::db::invites::InviteRow;
use crate::{AppError, db, now_ms};

/// How long a link works.
pub const LINK_MS: i64 = 7 * 24 * 3600 * 1000;

/// The roles a member can have in a co-op.
pub const ROLES: &[&str] = &["admin", "member"];

/// What a link grants.
#[derive(Debug, Clone, PartialEq)]
pub enum Grant {
    /// Node admin.
    Setup,
    /// A role in a co-op (by handle).
    Member { coop: String, role: String },
    /// Directory organiser.
    Organiser,
}

async fn create(
    node: &Node,
    kind: &str,
    coop_id: Option<i64>,
    role: Option<&str>,
    by: Option<&str>,
) -> Result<Url, AppError> {
    let token = secret();
    let now = now_ms();
    let mut tx = db::begin(&node.db).await?;
    if kind == "setup" {
        db::invites::revoke_kind(&mut tx, "setup", now).await?;
    }
    db::invites::insert(
        &mut tx,
        &InviteRow {
            token_hash: digest(&token),
            kind: kind.into(),
            coop_id,
            role: role.map(str::to_string),
            created_by: by.map(str::to_string),
            created_at: now,
            expires_at: now + LINK_MS,
            used_at: None,
        },
    )
    .await?;
    tx.commit().await?;
    let path = if kind == "setup" {
        "/setup/"
    } else {
        "/invite/"
    };
    node.base
        .join(&format!("{path}{token}"))
        .map_err(|e| AppError::Internal(format!("link URL: {e}")))
}

/// A new node-admin setup link (any earlier unused one stops working).
pub async fn setup_link(node: &Node) -> Result<Url, AppError> {
    create(node, "setup", None, None, None).await
}

/// Whether the node has no admin yet (then `serve` prints a setup link).
pub async fn needs_setup(node: &Node) -> Result<bool, AppError> {
    let mut conn = node.db.acquire().await?;
    Ok(db::accounts::count_node_admins(&mut conn).await? == 0)
}

/// An invitation to join a co-op with `role`. `by` is who invites (None: the CLI, run by
/// whoever runs the node); a person must be that co-op's admin or the node admin.
pub async fn invite_member(
    node: &Node,
    by: Option<&Account>,
    coop: &str,
    role: &str,
) -> Result<Url, AppError> {
    if !ROLES.contains(&role) {
        return Err(AppError::Invalid(format!(
            "role: '{role}' is not one of admin, member"
        )));
    }
    let coop = coops::find(node, coop).await?;
    if let Some(by) = by {
        super::members::require_admin(node, by, coop.row.id).await?;
    }
    create(
        node,
        "member",
        Some(coop.row.id),
        Some(role),
        by.map(Account::id),
    )
    .await
}

/// An invitation to be a directory organiser (the node admin's, on a directory node).
pub async fn invite_organiser(node: &Node, by: &Account) -> Result<Url, AppError> {
    if !by.is_node_admin() {
        return Err(AppError::Forbidden(
            "only the node admin invites organisers".into(),
        ));
    }
    if !node.config.directory.enabled() {
        return Err(AppError::NotFound("this node runs no directory".into()));
    }
    create(node, "organiser", None, None, Some(by.id())).await
}

/// What a usable link grants; 404 for a link unknown, used or expired.
pub async fn look_up(node: &Node, token: &str) -> Result<Grant, AppError> {
    let mut conn = node.db.acquire().await?;
    let row = db::invites::usable(&mut conn, &digest(token), now_ms())
        .await?
        .ok_or_else(gone)?;
    grant_of(&mut conn, &row).await
}

fn gone() -> AppError {
    AppError::NotFound("this link is unknown, used or expired: ask for a new one".into())
}

async fn grant_of(conn: &mut db::Conn, row: &InviteRow) -> Result<Grant, AppError> {
    Ok(match row.kind.as_str() {
        "setup" => Grant::Setup,
        "organiser" => Grant::Organiser,
        _ => {
            let id = row.coop_id.ok_or_else(gone)?;
            let coop = db::coops::by_id(conn, id).await?.ok_or_else(gone)?;
            Grant::Member {
                coop: coop.handle,
                role: row.role.clone().unwrap_or_else(|| "member".into()),
            }
        }
    })
}

/// Follows a link: creates the account with its password and grant, and uses the link
/// up, in one transaction (a link raced twice makes one account). Returns the account id.
pub async fn accept(
    node: &Node,
    token: &str,
    username: &str,
    password: &str,
    confirm: &str,
) -> Result<String, AppError> {
    let username = check_username(username)?;
    check_password(password, confirm)?;
    let hash = hash_password(password).await?;
    let now = now_ms();
    let mut tx = db::begin(&node.db).await?;
    let row = db::invites::usable(&mut tx, &digest(token), now)
        .await?
        .ok_or_else(gone)?;
    let grant = grant_of(&mut tx, &row).await?;
    let account = AccountRow {
        id: uuid::Uuid::new_v4().to_string(),
        username,
        password_hash: hash,
        node_admin: i64::from(grant == Grant::Setup),
        organiser: i64::from(grant == Grant::Organiser),
        created_at: now,
    };
    if !db::accounts::insert(&mut tx, &account).await? {
        return Err(AppError::Conflict(
            "username: that name is taken; choose another".into(),
        ));
    }
    if let (Grant::Member { role, .. }, Some(coop_id)) = (&grant, row.coop_id) {
        db::accounts::put_membership(&mut tx, &account.id, coop_id, role, now).await?;
    }
    if !db::invites::use_up(&mut tx, &row.token_hash, now).await? {
        return Err(gone());
    }
    tx.commit().await?;
    Ok(account.id)
}
