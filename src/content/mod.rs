//! Local operations shared by the CLI, the web and the inbox. Each operation is one
//! function; they call `db` for storage and `federation` to announce changes.

pub mod conversations;
pub mod coops;
pub mod drafts;
pub mod followers;
pub mod follows;
pub mod html;
pub mod media;
pub mod names;
pub mod profile;
pub mod reactions;
pub mod stories;
pub mod story_fields;
pub mod vocab;
