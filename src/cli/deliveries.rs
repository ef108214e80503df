//! `mutual deliveries status|retry`.

use clap::Subcommand;
use serde_json::json;

use super::Output;
use crate::AppError;
use crate::app::Node;
use crate::delivery::admin;

#[derive(Debug, Subcommand)]
pub enum DeliveriesCommand {
    /// Counts by state, and the failing hosts with their last error.
    Status,
    /// Retry a host now: makes its failed, skipped and waiting deliveries due (a running
    /// `serve` sends them within a second, even to a host marked unavailable; a success
    /// clears the mark).
    Retry {
        /// `host`, `host:port` or a URL on the host.
        host: String,
    },
}

pub async fn run(node: &Node, command: DeliveriesCommand, out: &Output) -> Result<(), AppError> {
    match command {
        DeliveriesCommand::Status => {
            let status = admin::status(node).await?;
            let value = serde_json::to_value(&status)
                .map_err(|e| AppError::Internal(format!("cannot encode the status: {e}")))?;
            out.print(&value, || status_text(&status));
        }
        DeliveriesCommand::Retry { host } => {
            let queued = admin::retry_host(node, &host).await?;
            out.print(&json!({ "host": host, "queued": queued }), || {
                format!("{queued} deliveries to {host} are due now")
            });
        }
    }
    Ok(())
}

fn status_text(status: &admin::Status) -> String {
    let mut lines = vec![
        status
            .counts
            .iter()
            .map(|(state, n)| format!("{state}: {n}"))
            .collect::<Vec<_>>()
            .join("  "),
    ];
    if status.hosts.is_empty() {
        lines.push("no failing hosts".into());
    }
    for h in &status.hosts {
        let mark = if h.unavailable { " UNAVAILABLE" } else { "" };
        lines.push(format!(
            "{}{mark}: {} retrying, {} failed, {} skipped, failed on {} day(s); last error: {}",
            h.host,
            h.retrying,
            h.failed,
            h.skipped,
            h.failure_days,
            h.last_error.as_deref().unwrap_or("-")
        ));
    }
    lines.join("\n")
}
