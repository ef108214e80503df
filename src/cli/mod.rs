//! The command line. Each command parses its arguments and calls one `content`
//! operation; with `--json` it prints one JSON object on stdout. Errors print one line
//! on stderr and exit non-zero.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use serde_json::Value;

use crate::AppError;
use crate::app::{AppState, Node};
use crate::config::Config;

mod accounts;
mod block;
mod coop;
mod deliveries;
mod directory;
mod follow;
mod follower;
mod reports;
mod serve;
mod story;
mod subfeed;

/// mutual: a federated node for cultural co-operatives.
#[derive(Debug, Parser)]
#[command(name = "mutual", version, about)]
pub struct Cli {
    /// A TOML settings file (MUTUAL_* environment variables override it).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Print one JSON object on stdout instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// The commands. (Parsed once per run, so the size of the largest variant does not matter.)
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the node: HTTP server and delivery workers.
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Create, list, show and edit co-ops.
    #[command(subcommand)]
    Coop(coop::CoopCommand),
    /// Publish, edit, delete and list stories.
    #[command(subcommand)]
    Story(story::StoryCommand),
    /// List, approve and reject followers of a co-op.
    #[command(subcommand)]
    Follower(follower::FollowerCommand),
    /// Follow another actor from a co-op (by @name@host or URL).
    Follow(follow::FollowArgs),
    /// Stop following an actor.
    Unfollow(follow::FollowArgs),
    /// List whom a co-op follows.
    #[command(subcommand)]
    Following(follow::FollowingCommand),
    /// The outgoing queue: status, and retrying a host now.
    #[command(subcommand)]
    Deliveries(deliveries::DeliveriesCommand),
    /// The node admin's tools: the one-time setup link.
    #[command(subcommand)]
    Admin(accounts::AdminCommand),
    /// Co-op members: one-time invitation links.
    #[command(subcommand)]
    Member(accounts::MemberCommand),
    /// The directory organiser's tools (on a node with MUTUAL_DIRECTORY=true).
    #[command(subcommand)]
    Directory(directory::DirectoryCommand),
    /// Blocks: domains for the whole node, actors for one co-op.
    #[command(subcommand)]
    Block(block::BlockCommand),
    /// Reports (Flags) sent by other servers, for the node admin.
    #[command(subcommand)]
    Reports(reports::ReportsCommand),
}

/// Where a command's result goes: JSON on stdout, or text.
pub struct Output {
    json: bool,
}

impl Output {
    /// Prints `value` as JSON, or `text` for people.
    pub fn print(&self, value: &Value, text: impl FnOnce() -> String) {
        if self.json {
            println!("{value}");
        } else {
            println!("{}", text());
        }
    }
}

fn init_logs(default: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("MUTUAL_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

async fn open(config: Config) -> Result<AppState, AppError> {
    Node::open(config).await
}

/// Runs a parsed command line and returns the process exit code.
pub async fn run(cli: Cli) -> ExitCode {
    let serving = matches!(cli.command, Command::Serve);
    init_logs(if serving { "info" } else { "warn" });
    let out = Output { json: cli.json };
    match dispatch(cli, &out).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let line = e.to_string().replace('\n', " ");
            eprintln!("error: {line}");
            ExitCode::FAILURE
        }
    }
}

async fn dispatch(cli: Cli, out: &Output) -> Result<(), AppError> {
    let config = Config::load(cli.config.as_deref())?;
    match cli.command {
        Command::Serve => serve::run(config).await,
        Command::Migrate => {
            open(config).await?;
            out.print(&serde_json::json!({ "migrated": true }), || {
                "database is up to date".into()
            });
            Ok(())
        }
        Command::Coop(c) => coop::run(&*open(config).await?, c, out).await,
        Command::Story(c) => story::run(&*open(config).await?, c, out).await,
        Command::Follower(c) => follower::run(&*open(config).await?, c, out).await,
        Command::Follow(a) => follow::follow(&*open(config).await?, a, out).await,
        Command::Unfollow(a) => follow::unfollow(&*open(config).await?, a, out).await,
        Command::Following(c) => follow::list(&*open(config).await?, c, out).await,
        Command::Directory(c) => directory::run(&*open(config).await?, c, out).await,
        Command::Deliveries(c) => deliveries::run(&*open(config).await?, c, out).await,
        Command::Admin(c) => accounts::run_admin(&*open(config).await?, c, out).await,
        Command::Member(c) => accounts::run_member(&*open(config).await?, c, out).await,
        Command::Block(c) => block::run(&*open(config).await?, c, out).await,
        Command::Reports(c) => reports::run(&*open(config).await?, c, out).await,
    }
}
