//! `mutual reports list`: the reports (Flags) other servers sent, newest first.

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
    },
}

pub async fn run(node: &Node, command: ReportsCommand, out: &Output) -> Result<(), AppError> {
    let ReportsCommand::List { limit } = command;
    if limit < 1 {
        return Err(AppError::Invalid("limit: must be 1 or more".into()));
    }
    let list = reports::list(node, limit).await?;
    let items: Vec<Value> = list
        .iter()
        .map(|r| {
            json!({
                "id": r.activity_id,
                "reporter": r.reporter,
                "objects": r.objects,
                "content": r.content,
                "received_at": timestamp(r.received_at),
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
