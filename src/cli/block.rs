//! `mutual block domain add|remove|list` (the node admin) and
//! `mutual block actor add|remove|list --coop HANDLE` (a co-op's admins).

use clap::Subcommand;
use serde_json::{Value, json};

use super::Output;
use crate::AppError;
use crate::app::Node;
use crate::federation::objects::timestamp;
use crate::moderation::{actors, domains};

#[derive(Debug, Subcommand)]
pub enum BlockCommand {
    /// Domains the whole node refuses (the node admin).
    #[command(subcommand)]
    Domain(DomainCommand),
    /// Actors one co-op refuses.
    #[command(subcommand)]
    Actor(ActorCommand),
}

#[derive(Debug, Subcommand)]
pub enum DomainCommand {
    /// Block a domain (host, or host:port): refuse its activities and signed fetches,
    /// end its follows and purge what is stored from it.
    Add { host: String },
    /// Lift a domain block.
    Remove { host: String },
    /// List the blocked domains.
    List,
}

#[derive(Debug, Subcommand)]
pub enum ActorCommand {
    /// Block an actor (@name@host or URL) for a co-op: it stops following the co-op, the
    /// co-op stops following it, and its activities aimed at the co-op are refused.
    Add {
        #[arg(long)]
        coop: String,
        target: String,
    },
    /// Lift a co-op's block of an actor.
    Remove {
        #[arg(long)]
        coop: String,
        target: String,
    },
    /// List the actors a co-op blocked.
    List {
        #[arg(long)]
        coop: String,
    },
}

pub async fn run(node: &Node, command: BlockCommand, out: &Output) -> Result<(), AppError> {
    match command {
        BlockCommand::Domain(c) => domain(node, c, out).await,
        BlockCommand::Actor(c) => actor(node, c, out).await,
    }
}

async fn domain(node: &Node, command: DomainCommand, out: &Output) -> Result<(), AppError> {
    match command {
        DomainCommand::Add { host } => {
            let (domain, purged) = domains::block(node, &host).await?;
            out.print(
                &json!({
                    "domain": domain,
                    "purged": { "actors": purged.actors, "followers": purged.followers, "follows": purged.follows },
                }),
                || {
                    format!(
                        "blocked {domain}: purged {} actors, removed {} followers, withdrew {} follows",
                        purged.actors, purged.followers, purged.follows
                    )
                },
            );
        }
        DomainCommand::Remove { host } => {
            let domain = domains::unblock(node, &host).await?;
            out.print(&json!({ "domain": domain, "blocked": false }), || {
                format!("unblocked {domain}")
            });
        }
        DomainCommand::List => {
            let list = domains::list(node).await?;
            let items: Vec<Value> = list
                .iter()
                .map(|b| json!({ "domain": b.domain, "blocked_at": timestamp(b.created_at) }))
                .collect();
            out.print(&json!({ "domains": items }), || {
                list.iter()
                    .map(|b| format!("{}\t{}", b.domain, timestamp(b.created_at)))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}

async fn actor(node: &Node, command: ActorCommand, out: &Output) -> Result<(), AppError> {
    match command {
        ActorCommand::Add { coop, target } => {
            let actor = actors::block(node, &coop, &target).await?;
            out.print(&json!({ "coop": coop, "actor": actor }), || {
                format!("@{coop} blocked {actor}")
            });
        }
        ActorCommand::Remove { coop, target } => {
            let actor = actors::unblock(node, &coop, &target).await?;
            out.print(
                &json!({ "coop": coop, "actor": actor, "blocked": false }),
                || format!("@{coop} unblocked {actor}"),
            );
        }
        ActorCommand::List { coop } => {
            let list = actors::list(node, &coop).await?;
            let items: Vec<Value> = list
                .iter()
                .map(|b| json!({ "actor": b.actor_id, "blocked_at": timestamp(b.created_at) }))
                .collect();
            out.print(&json!({ "coop": coop, "actors": items }), || {
                list.iter()
                    .map(|b| format!("{}\t{}", b.actor_id, timestamp(b.created_at)))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}
