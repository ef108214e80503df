//! What a directory organiser reviews: the dashboard (listed count, recent joins and
//! leaves, failing refreshes) and the suggestions. The organiser's actions are
//! `consent::invite`, `consent::remove` and `boost::set`, shared with the CLI.

use crate::app::Node;
use crate::db::directory_dashboard::{self as dashboard, DashboardRow};
use crate::{AppError, db};

/// How many rows each list of the dashboard shows.
const RECENT: i64 = 10;

/// The organiser's overview.
#[derive(Debug, Clone)]
pub struct Dashboard {
    pub listed: i64,
    /// (actor id, handle, name, listed at), newest first.
    pub joins: Vec<DashboardRow>,
    /// (actor id, '', reason, delisted at), newest first.
    pub leaves: Vec<DashboardRow>,
    /// (actor id, handle, error, failed at), newest first.
    pub refresh_failures: Vec<DashboardRow>,
}

pub async fn dashboard(node: &Node) -> Result<Dashboard, AppError> {
    let mut conn = node.db.acquire().await?;
    Ok(Dashboard {
        listed: db::directory_queries::count_listed(&mut conn).await?,
        joins: dashboard::recent_joins(&mut conn, RECENT).await?,
        leaves: dashboard::recent_leaves(&mut conn, RECENT).await?,
        refresh_failures: dashboard::refresh_failures(&mut conn, RECENT * 2).await?,
    })
}

/// Candidates to invite, never followed automatically: (actor id, where it was found,
/// found at).
pub async fn suggestions(node: &Node) -> Result<Vec<(String, String, i64)>, AppError> {
    let mut conn = node.db.acquire().await?;
    Ok(db::listings::suggestions(&mut conn).await?)
}
