//! `mutual reports list` (the open reports other servers sent, newest first; `--all` with
//! those dealt with) and `mutual reports resolve ID`.

use clap::Subcommand;
use serde_json::{Value, json};

use super::Output;
use crate::AppError;
use crate::app::Node;
use crate::federation::objects::timestamp;
use crate::moderation::reports;

#[derive(Debug, Subcommand)]
pub enum ReportsCommand {
    /// List the reports, newest first.
    List {
        /// At most this many.
        #[arg(long, default_value_t = 100)]
        limit: i64,
        /// Also those already dealt with.
        #[arg(long)]
        all: bool,
    },
    /// Mark a report as dealt with (it is kept, and leaves the open list).
    Resolve {
        /// The report's id (its Flag's id, as `list` shows).
        id: String,
    },
}

pub async fn run(node: &Node, command: ReportsCommand, out: &Output) -> Result<(), AppError> {
    let (limit, all) = match command {
        ReportsCommand::List { limit, all } => (limit, all),
        ReportsCommand::Resolve { id } => {
            reports::resolve(node, &id).await?;
            out.print(&json!({ "id": id, "resolved": true }), || {
                format!("resolved {id}")
            });
            return Ok(());
        }
    };
    if limit < 1 {
        return Err(AppError::Invalid("limit: must be 1 or more".into()));
    }
    let list = reports::list(node, limit, all).await?;
    let items: Vec<Value> = list
        .iter()
        .map(|r| {
            json!({
                "id": r.activity_id,
                "reporter": r.reporter,
                "objects": r.objects,
                "content": r.content,
                "received_at": timestamp(r.received_at),
                "resolved_at": r.resolved_at.map(timestamp),
            })
        })
        .collect();
    out.print(&json!({ "reports": items }), || {
        list.iter()
            .map(|r| {
                format!(
                    "{}\t{}\t{}\t{}",
                    timestamp(r.received_at),
                    r.reporter,
                    r.objects.join(" "),
                    r.content.replace('\n', " ")
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    Ok(())
}
