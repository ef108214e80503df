//! `mutual directory add|remove|list|suggestions|boost|subfeed`: the organiser's tools.

use clap::Subcommand;
use serde_json::{Value, json};

use super::Output;
use crate::AppError;
use crate::app::Node;
use crate::directory;
use crate::directory::index::{self, BrowseQuery, Listing};
use crate::directory::{boost, consent};
use crate::federation::objects::timestamp;

#[derive(Debug, Subcommand)]
pub enum DirectoryCommand {
    /// Invite an actor (@name@host or URL): the directory sends it a Follow, and lists it
    /// once it Accepts.
    Add { target: String },
    /// Delist an actor at once and withdraw the directory's Follow.
    Remove { target: String },
    /// List the listed co-ops, with the same filters as the pages.
    List {
        /// Search text.
        #[arg(long)]
        q: Option<String>,
        /// england, scotland, wales or northern-ireland.
        #[arg(long)]
        nation: Option<String>,
        /// A sector slug, e.g. film.
        #[arg(long)]
        sector: Option<String>,
    },
    /// Candidates found in the following collections and NodeInfo of listed co-ops.
    Suggestions,
    /// Turn the directory's boosts of one listed co-op on or off.
    Boost {
        /// `on` or `off`.
        #[arg(value_parser = ["on", "off"])]
        switch: String,
        /// @name@host or actor URL.
        target: String,
    },
    /// The sector and nation sub-actors that boost one slice of the directory.
    #[command(subcommand)]
    Subfeed(super::subfeed::SubfeedCommand),
}

fn rfc3339(ms: Option<i64>) -> Value {
    ms.map_or(Value::Null, |ms| json!(timestamp(ms)))
}

fn item(l: &Listing) -> Value {
    json!({
        "id": l.row.actor_id,
        "handle": l.row.handle,
        "name": l.row.name,
        "nation": l.row.nation,
        "region": l.row.region,
        "sectors": l.sectors,
        "listed_at": rfc3339(l.row.listed_at),
        "last_seen_at": rfc3339(l.row.last_seen_at),
    })
}

pub async fn run(node: &Node, command: DirectoryCommand, out: &Output) -> Result<(), AppError> {
    directory::actor::find(node).await?;
    match command {
        DirectoryCommand::Add { target } => {
            let f = consent::invite(node, &target).await?;
            out.print(
                &json!({ "id": f.follow_id, "target": f.target_id, "state": f.state }),
                || format!("invited {}; it is listed once it accepts", f.target_id),
            );
        }
        DirectoryCommand::Remove { target } => {
            let id = consent::remove(node, &target).await?;
            out.print(&json!({ "id": id, "state": "delisted" }), || {
                format!("delisted {id}")
            });
        }
        DirectoryCommand::List { q, nation, sector } => {
            let mut query = BrowseQuery {
                q,
                nation,
                sector,
                per_page: 100,
                page: 1,
                ..Default::default()
            };
            let mut all: Vec<Value> = Vec::new();
            let mut lines: Vec<String> = Vec::new();
            loop {
                let page = index::browse(node, &query).await?;
                for l in &page.items {
                    all.push(item(l));
                    lines.push(format!(
                        "{}\t{}",
                        l.row.handle.as_deref().unwrap_or(&l.row.actor_id),
                        l.row.name
                    ));
                }
                if page.items.is_empty() || query.page * query.per_page >= page.total {
                    break;
                }
                query.page += 1;
            }
            out.print(&Value::Array(all), || lines.join("\n"));
        }
        DirectoryCommand::Suggestions => {
            let list = directory::organiser::suggestions(node).await?;
            let items: Vec<Value> = list
                .iter()
                .map(|(id, source, found)| json!({ "id": id, "source": source, "found_at": timestamp(*found) }))
                .collect();
            out.print(&json!({ "suggestions": items }), || {
                list.iter()
                    .map(|(id, source, _)| format!("{id}\t{source}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        DirectoryCommand::Boost { switch, target } => {
            let on = switch == "on";
            let id = boost::set(node, &target, on).await?;
            out.print(&json!({ "id": id, "boost": on }), || {
                format!("boosts of {id} turned {switch}")
            });
        }
        DirectoryCommand::Subfeed(command) => super::subfeed::run(node, command, out).await?,
    }
    Ok(())
}
