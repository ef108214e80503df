//! The only module that knows ActivityPub JSON: wire objects, activities (sent and
//! received), the inbox, signatures, the fetch client and every federation route.

pub mod activities;
pub mod actor_refresh;
pub mod context;
pub mod fetch;
pub mod host_limits;
pub mod inbox;
pub mod instance;
pub mod negotiate;
pub mod nodeinfo;
pub mod objects;
pub mod origin;
pub mod refusals;
pub mod routes;
pub mod signatures;
pub mod signed_fetch;
pub mod thread;
pub mod urls;
pub mod webfinger;
