//! `mutual coop create|list|show|edit`.

use clap::{Args, Subcommand};
use serde_json::{Value, json};

use super::Output;
use crate::AppError;
use crate::app::Node;
use crate::content::coops::{self, Coop};
use crate::content::profile::ProfileInput;
use crate::federation::objects::coop::place_name;
use crate::federation::urls;

#[derive(Debug, Subcommand)]
pub enum CoopCommand {
    /// Create a co-op with its own key pair; prints its handle and actor URL.
    Create {
        /// 1-30 characters of a-z, 0-9, '-' and '_'.
        handle: String,
        #[command(flatten)]
        profile: ProfileArgs,
    },
    /// List the co-ops on this node.
    List,
    /// Show one co-op's profile.
    Show { handle: String },
    /// Change a co-op's profile; followers receive an Update.
    Edit {
        handle: String,
        #[command(flatten)]
        profile: ProfileArgs,
    },
}

/// The profile flags shared by `create` and `edit`. In `edit`, an empty value clears an
/// optional field and `--sector` replaces the whole set.
#[derive(Debug, Args)]
pub struct ProfileArgs {
    /// The co-op's name (required for create).
    #[arg(long)]
    name: Option<String>,
    /// A short description, in Markdown.
    #[arg(long)]
    summary: Option<String>,
    /// england, scotland, wales or northern-ireland (required for create).
    #[arg(long)]
    nation: Option<String>,
    /// An art form; repeat for several: film, music, theatre, visual-arts, design, publishing,
    /// games, photography, dance, crafts, heritage, festivals, media, education, other.
    #[arg(long = "sector")]
    sectors: Vec<String>,
    /// England only: north-east, north-west, yorkshire-and-the-humber, east-midlands,
    /// west-midlands, east-of-england, london, south-east, south-west.
    #[arg(long)]
    region: Option<String>,
    /// Town or city.
    #[arg(long)]
    locality: Option<String>,
    /// society, company, cic, cio, llp, unincorporated or other.
    #[arg(long)]
    legal_form: Option<String>,
    /// workers, freelancers, multi-stakeholder, consumers or community.
    #[arg(long)]
    membership_type: Option<String>,
    /// The year the co-op was founded.
    #[arg(long)]
    founded: Option<i64>,
    /// How many members it has.
    #[arg(long)]
    members: Option<i64>,
    /// Its website (https://…).
    #[arg(long)]
    website: Option<String>,
    /// Who registered it, e.g. "FCA" or "Companies House".
    #[arg(long)]
    registrar: Option<String>,
    /// Its registered number.
    #[arg(long)]
    registered_number: Option<String>,
    /// Coarse latitude (two decimals are kept).
    #[arg(long, allow_hyphen_values = true)]
    latitude: Option<f64>,
    /// Coarse longitude (two decimals are kept).
    #[arg(long, allow_hyphen_values = true)]
    longitude: Option<f64>,
    /// Approve followers by hand (`mutual follower approve`).
    #[arg(long, conflicts_with = "auto_approval")]
    manual_approval: bool,
    /// Accept followers automatically (the default).
    #[arg(long)]
    auto_approval: bool,
    /// Ask directories and search not to list this co-op.
    #[arg(long, conflicts_with = "discoverable")]
    not_discoverable: bool,
    /// Allow directories to list this co-op (the default).
    #[arg(long)]
    discoverable: bool,
    /// Ask search engines and directories not to index its stories.
    #[arg(long, conflicts_with = "indexable")]
    not_indexable: bool,
    /// Allow its stories to be indexed (the default).
    #[arg(long)]
    indexable: bool,
    /// Ask directories not to boost its stories to their followers.
    #[arg(long, conflicts_with = "directory_boost")]
    no_directory_boost: bool,
    /// Allow directories to boost its stories (the default).
    #[arg(long)]
    directory_boost: bool,
    /// Show only how many actors it follows in its `following` collection, not whom.
    #[arg(long, conflicts_with = "show_following")]
    hide_following: bool,
    /// List whom it follows in its `following` collection (the default).
    #[arg(long)]
    show_following: bool,
    /// Show what it follows on a public page, /coops/HANDLE/network.
    #[arg(long, conflicts_with = "private_network")]
    public_network: bool,
    /// Keep its network timeline for its members only (the default).
    #[arg(long)]
    private_network: bool,
}

fn switch(on: bool, off: bool) -> Option<bool> {
    match (on, off) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    }
}

impl ProfileArgs {
    fn input(self) -> ProfileInput {
        ProfileInput {
            name: self.name,
            summary: self.summary,
            website: self.website,
            legal_form: self.legal_form,
            registrar: self.registrar,
            registered_number: self.registered_number,
            membership_type: self.membership_type,
            sectors: self.sectors,
            nation: self.nation,
            region: self.region,
            locality: self.locality,
            latitude: self.latitude,
            longitude: self.longitude,
            founded: self.founded,
            members: self.members,
            discoverable: switch(self.discoverable, self.not_discoverable),
            indexable: switch(self.indexable, self.not_indexable),
            manual_approval: switch(self.manual_approval, self.auto_approval),
            directory_boost: switch(self.directory_boost, self.no_directory_boost),
            hide_following: switch(self.hide_following, self.show_following),
            public_network: switch(self.public_network, self.private_network),
            clear_numbers: false,
        }
    }
}

fn summary(node: &Node, coop: &Coop) -> Value {
    let p = &coop.profile;
    json!({
        "id": urls::coop(&node.base, &coop.row.handle),
        "handle": format!("@{}@{}", coop.row.handle, node.domain()),
        "url": urls::coop(&node.base, &coop.row.handle),
        "name": p.name,
        "summary": p.summary,
        "website": p.website,
        "legal_form": p.legal_form.map(|v| v.as_str()),
        "registrar": p.registrar,
        "registered_number": p.registered_number,
        "membership_type": p.membership_type.map(|v| v.as_str()),
        "sectors": p.sectors.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        "nation": p.nation.as_str(),
        "region": p.region.map(|v| v.as_str()),
        "locality": p.locality,
        "latitude": p.latitude,
        "longitude": p.longitude,
        "founded": p.founded,
        "members": p.members,
        "discoverable": p.discoverable,
        "indexable": p.indexable,
        "manual_approval": p.manual_approval,
        "directory_boost": p.directory_boost,
        "hide_following": p.hide_following,
        "public_network": p.public_network,
    })
}

pub async fn run(node: &Node, command: CoopCommand, out: &Output) -> Result<(), AppError> {
    match command {
        CoopCommand::Create { handle, profile } => {
            let coop = coops::create(node, &handle, &profile.input()).await?;
            let s = summary(node, &coop);
            out.print(
                &json!({ "id": s["id"], "handle": s["handle"], "url": s["url"] }),
                || {
                    format!(
                        "created {}\nactor: {}",
                        s["handle"].as_str().unwrap_or_default(),
                        s["id"].as_str().unwrap_or_default()
                    )
                },
            );
        }
        CoopCommand::List => {
            let coops = coops::list(node).await?;
            let items: Vec<Value> = coops.iter().map(|c| summary(node, c)).collect();
            out.print(&json!({ "coops": items }), || {
                coops
                    .iter()
                    .map(|c| format!("@{}@{}\t{}", c.row.handle, node.domain(), c.profile.name))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        CoopCommand::Show { handle } => {
            let coop = coops::find(node, &handle).await?;
            let s = summary(node, &coop);
            out.print(&s, || {
                let p = &coop.profile;
                format!(
                    "{}\n{}\nactor: {}\nsectors: {}\nplace: {}",
                    p.name,
                    s["handle"].as_str().unwrap_or_default(),
                    s["id"].as_str().unwrap_or_default(),
                    p.sectors
                        .iter()
                        .map(|x| x.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    place_name(p)
                )
            });
        }
        CoopCommand::Edit { handle, profile } => {
            let coop = coops::edit(node, &handle, &profile.input()).await?;
            let s = summary(node, &coop);
            out.print(&s, || {
                format!("updated {}", s["handle"].as_str().unwrap_or_default())
            });
        }
    }
    Ok(())
}
