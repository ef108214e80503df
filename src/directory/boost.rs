//! Boosts: the directory actor `Announce`s new stories of listed co-ops to its followers,
//! and so does each sub-feed whose slice (a sector or nation) includes the co-op.

use crate::app::Node;
use crate::content::follows::resolve_target;
use crate::federation::fetch::FetchBudget;
use crate::{AppError, db, federation};

/// Queues the Announces of `object_id`, a new story of the listed actor `author`: one by
/// the directory actor and one by each sub-feed covering `author`, in one transaction.
pub async fn announce(node: &Node, author: &str, object_id: &str) -> Result<(), AppError> {
    let mut boosters = vec![super::actor::find(node).await?];
    boosters.extend(super::subfeeds::covering(node, author).await?);
    let mut tx = crate::db::begin(&node.db).await?;
    for booster in &boosters {
        federation::activities::announce::send(node, &mut tx, booster, object_id, None).await?;
    }
    tx.commit().await?;
    node.deliveries_queued.notify_one();
    Ok(())
}

/// Turns boosting of one listed actor on or off (the organiser's exclusion).
pub async fn set(node: &Node, target: &str, on: bool) -> Result<String, AppError> {
    super::actor::find(node).await?;
    let url = resolve_target(node, target, &FetchBudget::new()).await?;
    let mut conn = node.db.acquire().await?;
    if !db::listings::set_boost_excluded(&mut conn, url.as_str(), !on).await? {
        return Err(AppError::NotFound(format!("{url} is not in the directory")));
    }
    Ok(url.to_string())
}
