-- The in-memory catalogue of listed co-ops (issue #3; src/directory/index/catalogue.rs).
-- Each `serve` process keeps every listed co-op's facet values and sort keys in memory, so
-- a browse counts facets and picks its page without joining thousands of rows in SQL.
-- Processes keep their copy fresh from this version: every change to what a browse shows
-- bumps `listing_version.seq` and stamps the listing with it, in the change's transaction;
-- a browse reads the version and reloads only the listings stamped since.
-- SQLite dialect; postgres/ has the same.

CREATE TABLE listing_version (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL
);
INSERT INTO listing_version (id, seq) VALUES (1, 0);

ALTER TABLE listings ADD COLUMN changed_seq BIGINT NOT NULL DEFAULT 0;
CREATE INDEX listings_changed ON listings (changed_seq);
