//! The node admin's domain blocks: `mutual block domain add|remove|list` and `/admin`.

use crate::app::Node;
use crate::{AppError, db, now_ms};

/// A blocked domain, as listed.
#[derive(Debug, Clone)]
pub struct DomainBlock {
    pub domain: String,
    pub created_at: i64,
}

/// What blocking a domain removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Purged {
    /// Actors whose stored traces (follows, posts, cache, listing) were removed.
    pub actors: u64,
    /// Their follows of co-ops here, removed (a Reject is sent to each).
    pub followers: u64,
    /// Co-ops' follows of them, withdrawn (an Undo is sent to each).
    pub follows: u64,
}

/// Blocks a domain and purges what is stored from it. Blocking this node's own domain is
/// refused; blocking one twice is a conflict.
pub async fn block(node: &Node, input: &str) -> Result<(String, Purged), AppError> {
    let domain = super::normalise_domain(input)?;
    if super::covers(&domain, &node.base) {
        return Err(AppError::Invalid(format!(
            "domain: '{domain}' covers this node itself"
        )));
    }
    let mut conn = node.db.acquire().await?;
    if !db::blocks::add_domain(&mut conn, &domain, now_ms()).await? {
        return Err(AppError::Conflict(format!(
            "domain: '{domain}' is already blocked"
        )));
    }
    drop(conn);
    let purged = super::purge_domain(node, &domain).await?;
    tracing::info!(%domain, ?purged, "domain blocked");
    Ok((domain, purged))
}

/// Lifts a domain block. What was purged stays gone.
pub async fn unblock(node: &Node, input: &str) -> Result<String, AppError> {
    let domain = super::normalise_domain(input)?;
    let mut conn = node.db.acquire().await?;
    if !db::blocks::remove_domain(&mut conn, &domain).await? {
        return Err(AppError::NotFound(format!(
            "domain: '{domain}' is not blocked"
        )));
    }
    Ok(domain)
}

/// The blocked domains, alphabetically.
pub async fn list(node: &Node) -> Result<Vec<DomainBlock>, AppError> {
    let mut conn = node.db.acquire().await?;
    Ok(db::blocks::domains(&mut conn)
        .await?
        .into_iter()
        .map(|(domain, created_at)| DomainBlock { domain, created_at })
        .collect())
}
