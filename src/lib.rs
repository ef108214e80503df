//! mutual: a federated ActivityPub node for cultural co-operatives.
//!
//! Calls flow one way: `cli`/`web`/the inbox → `content` → `db` (storage) and
//! `federation` (announcing changes) → `delivery` (the persistent outgoing queue).

/// People who work the node from the browser: accounts, sessions, links, members.
pub mod accounts;
/// The shared state of a running node and its HTTP router.
pub mod app;
/// The command-line interface: parses arguments and calls `content`.
pub mod cli;
/// Where "now" comes from for the delivery engine (the system, or tokio's clock in tests).
pub mod clock;
/// Settings from `mutual.toml` and `MUTUAL_*` environment variables.
pub mod config;
/// Local operations shared by the CLI, the web and the inbox: co-ops, stories, followers.
pub mod content;
/// All SQL: one file per table family, portable between SQLite and PostgreSQL.
pub mod db;
/// The outgoing queue: rows in the database, sent and signed by workers.
pub mod delivery;
/// The directory role: consent, freshness, the index, boosts.
pub mod directory;
/// The one error type, with the HTTP status of each variant.
pub mod error;
/// The only module that knows ActivityPub JSON: objects, activities, routes, signatures, fetching.
pub mod federation;
/// Blocks (domains by the node admin, actors by co-ops), purging, and reports (Flags).
pub mod moderation;
/// HTML pages for people.
pub mod web;

pub use error::AppError;

/// Milliseconds since the Unix epoch: the unit of every stored time.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
