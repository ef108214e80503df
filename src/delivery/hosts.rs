//! Hosts that stay down. A host that failed (no answer, or 5xx) on 7 separate days with no
//! success since is marked unavailable: its waiting deliveries are set aside (`skipped`)
//! and new ones are not sent. Any later success, or any signed activity arriving from the
//! host, clears the mark.

use url::Url;

use crate::app::Node;
use crate::{AppError, db};

/// Failure days after which a host is unavailable.
pub const UNAVAILABLE_AFTER_DAYS: i64 = 7;

const DAY_MS: i64 = 24 * 3600 * 1000;

/// Records a delivery to `host` that failed at `now` (ms); marks the host unavailable on
/// its 7th failing day.
pub async fn failed(node: &Node, host: &str, error: &str, now: i64) -> Result<(), AppError> {
    let mut tx = db::begin(&node.db).await?;
    let record =
        db::delivery_hosts::record_failure(&mut tx, host, now / DAY_MS, now, error).await?;
    if record.failure_days >= UNAVAILABLE_AFTER_DAYS {
        // Also after a retry of a host already marked: its waiting rows go aside again.
        db::delivery_hosts::mark_unavailable(&mut tx, host, now).await?;
        let skipped = db::deliveries::skip_host(&mut tx, host).await?;
        if record.unavailable_since.is_none() {
            tracing::warn!(%host, days = record.failure_days, skipped, "host marked unavailable: deliveries to it are skipped until it answers");
        }
    }
    tx.commit().await?;
    Ok(())
}

/// The host answered: forget its failures and clear any unavailable mark.
pub async fn answered(node: &Node, host: &str) -> Result<(), AppError> {
    let mut conn = node.db.acquire().await?;
    if db::delivery_hosts::has_record(&mut conn, host).await?
        && db::delivery_hosts::clear(&mut conn, host).await?
    {
        tracing::info!(%host, "host answered again: its failure record is cleared");
    }
    Ok(())
}

/// How often, per host, an arriving activity checks for the host's failure record.
const HEARD_EVERY_MS: i64 = 60_000;

/// A signed activity arrived from `actor`: its host is up. Checked at most once a minute
/// per host, so a busy inbox pays a map lookup, not a query, per activity.
pub async fn heard_from(node: &Node, actor: &Url) -> Result<(), AppError> {
    let host = crate::config::authority(actor);
    let now = node.clock.now_ms();
    {
        // A panic while holding this short lock leaves a usable map.
        let mut heard = node.hosts_heard.lock().unwrap_or_else(|p| p.into_inner());
        if heard
            .get(&host)
            .is_some_and(|at| now.saturating_sub(*at) < HEARD_EVERY_MS)
        {
            return Ok(());
        }
        if heard.len() > 10_000 {
            heard.clear();
        }
        heard.insert(host.clone(), now);
    }
    answered(node, &host).await
}
