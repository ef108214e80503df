//! Boosts: the directory actor `Announce`s new stories of listed co-ops to its followers.

use crate::app::Node;
use crate::content::coops::Coop;
use crate::content::follows::resolve_target;
use crate::federation::fetch::FetchBudget;
use crate::{AppError, db, federation};

/// Queues an Announce of `object_id` to the directory's followers.
pub async fn announce(node: &Node, directory: &Coop, object_id: &str) -> Result<(), AppError> {
    let mut tx = crate::db::begin(&node.db).await?;
    federation::activities::announce::send(node, &mut tx, directory, object_id).await?;
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
