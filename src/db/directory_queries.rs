//! Read queries over the directory index (listings, sectors, stories, search).
