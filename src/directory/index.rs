//! The directory index: browse, facets and search, shared by HTML, JSON, the CLI and exports.
