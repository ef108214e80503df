//! `mutual directory subfeed create|list|delete`: the directory's sector and nation
//! sub-actors.

use clap::Subcommand;
use serde_json::{Value, json};

use super::Output;
use crate::AppError;
use crate::app::Node;
use crate::directory::subfeeds::{self, Slice};
use crate::federation::objects::timestamp;
use crate::federation::urls;

#[derive(Debug, Subcommand)]
pub enum SubfeedCommand {
    /// Create a sub-actor (@film@host, @scotland@host) that boosts only the stories of the
    /// listed co-ops of one sector or one nation. Give exactly one of --sector, --nation.
    Create {
        /// A sector code, e.g. film or visual-arts.
        #[arg(long)]
        sector: Option<String>,
        /// england, scotland, wales or northern-ireland.
        #[arg(long)]
        nation: Option<String>,
    },
    /// List the sub-feeds and their follower counts.
    List,
    /// Delete a sub-feed: its followers are sent a Delete of the account, and it boosts
    /// nothing more. Creating it again brings it back (with a new key pair).
    Delete {
        /// Its handle (the sector or nation code), e.g. film or scotland.
        handle: String,
    },
}

/// The slice named by `--sector` or `--nation` (one of them, not both).
fn slice(sector: Option<String>, nation: Option<String>) -> Result<Slice, AppError> {
    match (sector, nation) {
        (Some(code), None) => Slice::parse("sector", &code),
        (None, Some(code)) => Slice::parse("nation", &code),
        _ => Err(AppError::Invalid(
            "give exactly one of --sector CODE or --nation CODE".into(),
        )),
    }
}

pub async fn run(node: &Node, command: SubfeedCommand, out: &Output) -> Result<(), AppError> {
    let domain = node.domain();
    match command {
        SubfeedCommand::Create { sector, nation } => {
            let slice = slice(sector, nation)?;
            let actor = subfeeds::create(node, slice).await?;
            let handle = &actor.row.handle;
            out.print(
                &json!({
                    "handle": handle,
                    "id": urls::coop(&node.base, handle),
                    "facet": slice.facet(),
                    "value": slice.code(),
                }),
                || format!("created @{handle}@{domain}: {}", actor.profile.name),
            );
        }
        SubfeedCommand::Delete { handle } => {
            let handle = handle.trim_start_matches('@').to_string();
            subfeeds::delete(node, &handle).await?;
            out.print(&json!({ "handle": handle, "deleted": true }), || {
                format!("deleted @{handle}@{domain}; its followers are being told")
            });
        }
        SubfeedCommand::List => {
            let list = subfeeds::list(node).await?;
            let items: Vec<Value> = list
                .iter()
                .map(|s| {
                    json!({
                        "handle": s.handle,
                        "id": urls::coop(&node.base, &s.handle),
                        "facet": s.facet,
                        "value": s.value,
                        "followers": s.followers,
                        "created_at": timestamp(s.created_at),
                    })
                })
                .collect();
            out.print(&Value::Array(items), || {
                list.iter()
                    .map(|s| {
                        format!(
                            "@{}@{domain}\t{} {}\t{} followers",
                            s.handle, s.facet, s.value, s.followers
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}
