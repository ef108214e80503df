//! `mutual admin setup-link` and `mutual member invite`: the one-time links of
//! `accounts::invites`, printed as one absolute URL on its own line.

use clap::Subcommand;
use serde_json::json;

use super::Output;
use crate::AppError;
use crate::accounts::invites;
use crate::app::Node;

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Print a new one-time link (7 days) that creates a node admin account. Any earlier
    /// unused setup link stops working.
    SetupLink,
}

#[derive(Debug, Subcommand)]
pub enum MemberCommand {
    /// Print a one-time link (7 days) inviting someone to a co-op; they set their own password.
    Invite {
        /// The co-op's handle.
        #[arg(long)]
        coop: String,
        /// `admin` (edits the profile and members) or `member` (writes stories).
        #[arg(long, default_value = "member")]
        role: String,
    },
}

fn print_link(out: &Output, link: &url::Url) {
    out.print(&json!({ "url": link.as_str() }), || link.to_string());
}

pub async fn run_admin(node: &Node, command: AdminCommand, out: &Output) -> Result<(), AppError> {
    match command {
        AdminCommand::SetupLink => print_link(out, &invites::setup_link(node).await?),
    }
    Ok(())
}

pub async fn run_member(node: &Node, command: MemberCommand, out: &Output) -> Result<(), AppError> {
    match command {
        MemberCommand::Invite { coop, role } => print_link(
            out,
            &invites::invite_member(node, None, &coop, &role).await?,
        ),
    }
    Ok(())
}
