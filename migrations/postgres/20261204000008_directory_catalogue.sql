-- The in-memory catalogue of listed co-ops (issue #3; src/directory/index/catalogue.rs).
-- Each `serve` process keeps every listed co-op's facet values and sort keys in memory, so
-- a browse counts facets and picks its page without joining thousands of rows in SQL.
-- Processes keep their copy fresh from this version: every change to what a browse shows
-- bumps `listing_version.seq` (the row lock orders concurrent changes) and stamps the
-- listing with it, in the change's transaction; a browse reads the version and reloads
-- only the listings stamped since. PostgreSQL dialect; sqlite/ has the same.

CREATE TABLE listing_version (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL
);
INSERT INTO listing_version (id, seq) VALUES (1, 0);

ALTER TABLE listings ADD COLUMN changed_seq BIGINT NOT NULL DEFAULT 0;
CREATE INDEX listings_changed ON listings (changed_seq);

-- Search documents get an integer key, kept while the listing stays listed (documents are
-- now replaced in place), which the catalogue maps to its entries: reading thousands of
-- integers is much cheaper than reading as many actor URLs.
ALTER TABLE listing_search ADD COLUMN docid BIGINT GENERATED ALWAYS AS IDENTITY;
CREATE UNIQUE INDEX listing_search_docid ON listing_search (docid);

-- Ranking reads a small vector of each document's head (name, summary, locality) instead of
-- the whole document: `ts_rank` de-TOASTs the vector it ranks, and whole documents (up to
-- 50 stories) cost about 18 µs each to rank.
ALTER TABLE listing_search ADD COLUMN head TEXT NOT NULL DEFAULT '';
UPDATE listing_search s SET head = l.name || E'\n' || l.summary || E'\n' || COALESCE(l.locality, '')
    FROM listings l WHERE l.actor_id = s.actor_id;
ALTER TABLE listing_search
    ADD COLUMN head_terms tsvector GENERATED ALWAYS AS (to_tsvector('english', head)) STORED;

-- Matching reads the whole-document vectors from a narrow table of their own. A search
-- visits the heap row of every match (a GIN index has no index-only scans) just to read
-- its key; with every vector moved out of line (toast_tuple_target) the rows are about 40
-- bytes, so a common word's 36,000 matches touch a few hundred pages instead of 11,000.
CREATE TABLE listing_terms (
    docid BIGINT PRIMARY KEY REFERENCES listing_search (docid) ON DELETE CASCADE,
    terms tsvector NOT NULL
) WITH (toast_tuple_target = 128);
INSERT INTO listing_terms (docid, terms) SELECT docid, terms FROM listing_search;
CREATE INDEX listing_terms_gin ON listing_terms USING GIN (terms);
DROP INDEX listing_search_terms;
ALTER TABLE listing_search DROP COLUMN terms;
-- The whole text was kept only to generate `terms`.
ALTER TABLE listing_search DROP COLUMN body;
