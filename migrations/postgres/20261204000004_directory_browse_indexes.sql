-- Indexes for browsing the directory at scale (issue #3; measured by
-- benches/directory_browse.rs with 100,000 listings and 1,000,000 stories, see
-- docs/performance.md). PostgreSQL dialect; sqlite/ has the same.

-- Facet counts read only these columns: PostgreSQL scans this narrow index (index-only)
-- instead of the table, whose rows carry summaries.
CREATE INDEX IF NOT EXISTS listings_facets
    ON listings (state, nation, region, membership_type, legal_form, actor_id);

-- Browsing by name (the default order, LOWER(name)) walks this index and stops after a page
-- instead of sorting every match.
CREATE INDEX IF NOT EXISTS listings_by_lower_name ON listings (state, LOWER(name), actor_id);
