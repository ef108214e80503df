-- Sub-feeds (issue #6): the directory's sector and nation sub-actors (@film@dir,
-- @scotland@dir). Each is a `coops` row with kind = 'subfeed', so it has its own key
-- pair, followers and deliveries like the directory's own actor; this table says which
-- slice of the directory it boosts. Its handle is the code itself (`film`, `scotland`),
-- which co-ops may not take. SQLite dialect; postgres/ has the same.
CREATE TABLE subfeeds (
    coop_id    INTEGER PRIMARY KEY REFERENCES coops(id) ON DELETE CASCADE,
    facet      TEXT NOT NULL CHECK (facet IN ('sector', 'nation')),
    value      TEXT NOT NULL,          -- a sector or nation code from the profile vocabulary
    created_at BIGINT NOT NULL,
    UNIQUE (facet, value)
);
