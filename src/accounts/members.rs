//! Co-op membership: who may do what, the member list, and removing a member (which ends
//! that member's sessions).

use super::Account;
use crate::app::Node;
use crate::content::coops;
use crate::db::accounts::MembershipRow;
use crate::{AppError, db};

/// The account's role in a co-op, if it is a member.
pub async fn role_in(
    node: &Node,
    account: &Account,
    coop_id: i64,
) -> Result<Option<String>, AppError> {
    let mut conn = node.db.acquire().await?;
    Ok(db::accounts::memberships_of(&mut conn, account.id())
        .await?
        .into_iter()
        .find(|m| m.coop_id == coop_id)
        .map(|m| m.role))
}

/// 403 unless the account is an admin of the co-op or the node admin.
pub async fn require_admin(node: &Node, account: &Account, coop_id: i64) -> Result<(), AppError> {
    if account.is_node_admin() || role_in(node, account, coop_id).await?.as_deref() == Some("admin")
    {
        return Ok(());
    }
    Err(AppError::Forbidden(
        "only the co-op's admins can do this".into(),
    ))
}

/// 403 unless the account is a member (any role) of the co-op or the node admin.
pub async fn require_member(node: &Node, account: &Account, coop_id: i64) -> Result<(), AppError> {
    if account.is_node_admin() || role_in(node, account, coop_id).await?.is_some() {
        return Ok(());
    }
    Err(AppError::Forbidden(
        "only the co-op's members can do this".into(),
    ))
}

/// The co-ops an account belongs to.
pub async fn memberships(node: &Node, account: &Account) -> Result<Vec<MembershipRow>, AppError> {
    let mut conn = node.db.acquire().await?;
    Ok(db::accounts::memberships_of(&mut conn, account.id()).await?)
}

/// A co-op's members, for its admins.
pub async fn list(node: &Node, by: &Account, coop: &str) -> Result<Vec<MembershipRow>, AppError> {
    let coop = coops::find(node, coop).await?;
    require_admin(node, by, coop.row.id).await?;
    let mut conn = node.db.acquire().await?;
    Ok(db::accounts::members_of(&mut conn, coop.row.id).await?)
}

/// Removes a member from a co-op and ends all their sessions. An admin cannot remove the
/// co-op's last admin (the co-op would be left without one).
pub async fn remove(node: &Node, by: &Account, coop: &str, username: &str) -> Result<(), AppError> {
    let coop = coops::find(node, coop).await?;
    require_admin(node, by, coop.row.id).await?;
    let mut tx = db::begin(&node.db).await?;
    let members = db::accounts::members_of(&mut tx, coop.row.id).await?;
    let Some(member) = members.iter().find(|m| m.username == username) else {
        return Err(AppError::NotFound(format!(
            "no member '{username}' in {}",
            coop.row.handle
        )));
    };
    let admins = members.iter().filter(|m| m.role == "admin").count();
    if member.role == "admin" && admins == 1 {
        return Err(AppError::Conflict(
            "that is the co-op's last admin: make another member admin first".into(),
        ));
    }
    db::accounts::remove_membership(&mut tx, &member.account_id, coop.row.id).await?;
    db::sessions::delete_all_of(&mut tx, &member.account_id).await?;
    tx.commit().await?;
    Ok(())
}
