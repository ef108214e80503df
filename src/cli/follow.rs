//! `mutual follow`, `mutual unfollow` and `mutual following list`.

use clap::{Args, Subcommand};
use serde_json::{Value, json};

use super::Output;
use crate::AppError;
use crate::app::Node;
use crate::content::follows;
use crate::db::follows::FollowRow;

#[derive(Debug, Args)]
pub struct FollowArgs {
    /// The co-op that follows.
    #[arg(long)]
    coop: String,
    /// @name@host, or an actor URL.
    target: String,
}

#[derive(Debug, Subcommand)]
pub enum FollowingCommand {
    /// List a co-op's follows and their states (pending, accepted, rejected).
    List {
        #[arg(long)]
        coop: String,
    },
}

fn row(f: &FollowRow) -> Value {
    json!({ "id": f.follow_id, "target": f.target_id, "state": f.state })
}

pub async fn follow(node: &Node, args: FollowArgs, out: &Output) -> Result<(), AppError> {
    let f = follows::follow(node, &args.coop, &args.target).await?;
    out.print(&row(&f), || {
        format!("follow of {} sent; waiting for an Accept", f.target_id)
    });
    Ok(())
}

pub async fn unfollow(node: &Node, args: FollowArgs, out: &Output) -> Result<(), AppError> {
    let f = follows::unfollow(node, &args.coop, &args.target).await?;
    out.print(
        &json!({ "target": f.target_id, "state": "unfollowed" }),
        || format!("unfollowed {}", f.target_id),
    );
    Ok(())
}

pub async fn list(node: &Node, command: FollowingCommand, out: &Output) -> Result<(), AppError> {
    let FollowingCommand::List { coop } = command;
    let list = follows::list(node, &coop).await?;
    out.print(
        &json!({ "following": list.iter().map(row).collect::<Vec<_>>() }),
        || {
            list.iter()
                .map(|f| format!("{}\t{}", f.state, f.target_id))
                .collect::<Vec<_>>()
                .join("\n")
        },
    );
    Ok(())
}
