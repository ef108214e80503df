//! `mutual follower list|approve|reject`.

use clap::Subcommand;
use serde_json::{Value, json};

use super::Output;
use crate::AppError;
use crate::app::Node;
use crate::content::followers;
use crate::db::followers::FollowerRow;

#[derive(Debug, Subcommand)]
pub enum FollowerCommand {
    /// List a co-op's followers.
    List {
        #[arg(long)]
        coop: String,
        /// Only `pending` or `accepted` followers.
        #[arg(long)]
        state: Option<String>,
    },
    /// Approve a pending follower (for co-ops with manual approval).
    Approve {
        #[arg(long)]
        coop: String,
        /// The follower's actor URL.
        actor: String,
    },
    /// Reject (or remove) a follower.
    Reject {
        #[arg(long)]
        coop: String,
        /// The follower's actor URL.
        actor: String,
    },
}

fn row(f: &FollowerRow) -> Value {
    json!({ "actor": f.actor_id, "state": f.state, "inbox": f.inbox, "shared_inbox": f.shared_inbox })
}

pub async fn run(node: &Node, command: FollowerCommand, out: &Output) -> Result<(), AppError> {
    match command {
        FollowerCommand::List { coop, state } => {
            let list = followers::list(node, &coop, state.as_deref()).await?;
            out.print(
                &json!({ "followers": list.iter().map(row).collect::<Vec<_>>() }),
                || {
                    list.iter()
                        .map(|f| format!("{}\t{}", f.state, f.actor_id))
                        .collect::<Vec<_>>()
                        .join("\n")
                },
            );
        }
        FollowerCommand::Approve { coop, actor } => {
            let f = followers::approve(node, &coop, &actor).await?;
            out.print(&row(&f), || format!("approved {actor}"));
        }
        FollowerCommand::Reject { coop, actor } => {
            let f = followers::reject(node, &coop, &actor).await?;
            out.print(&json!({ "actor": f.actor_id, "state": "rejected" }), || {
                format!("rejected {actor}")
            });
        }
    }
    Ok(())
}
