//! The directory: a role of the same binary (`MUTUAL_DIRECTORY=true`). Its Service actor
//! follows co-ops that consent, keeps their profiles and stories fresh, serves a
//! browsable, searchable index, and boosts their stories to its own followers and, by
//! sector and nation, through its sub-feeds.

pub mod actor;
pub mod boost;
pub mod consent;
pub mod index;
pub mod ingest;
pub mod organiser;
pub mod profile;
pub mod refresh;
pub mod subfeeds;
