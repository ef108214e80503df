//! The directory's sector and nation sub-feeds (`@film@dir`, `@scotland@dir`): Service
//! actors that boost only their slice. A directory node, a node of co-ops and a sink of
//! followers, each at its own `http://localhost:<port>`, with real signatures. Split by
//! theme: the boosts, the actors themselves (and what is refused), the organiser's tools.

mod actors;
mod boosts;
mod deletion;
mod organiser;
