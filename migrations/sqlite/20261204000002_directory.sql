-- The directory (issue #3): a role of the same binary that lists consenting co-ops.
-- SQLite dialect; postgres/ holds the same schema. Full-text search is the one dialect spot:
-- an FTS5 table here, a tsvector column there (see src/db/directory_search.rs).

-- Local actors are co-ops, or the directory's own Service actor.
ALTER TABLE coops ADD COLUMN kind TEXT NOT NULL DEFAULT 'coop';
-- A co-op may opt out of having its stories boosted by directories (1 = boosts allowed).
ALTER TABLE coops ADD COLUMN directory_boost INTEGER NOT NULL DEFAULT 1;

-- Every actor the directory has invited or listed. Only state = 'listed' is ever shown.
CREATE TABLE listings (
    actor_id          TEXT PRIMARY KEY,
    state             TEXT NOT NULL,            -- invited, listed, delisted
    follow_id         TEXT,                     -- the directory's Follow of this actor
    handle            TEXT,                     -- @name@host
    name              TEXT NOT NULL DEFAULT '',
    summary           TEXT NOT NULL DEFAULT '', -- sanitised HTML
    url               TEXT,
    nation            TEXT,
    region            TEXT,
    locality          TEXT,
    membership_type   TEXT,
    legal_form        TEXT,
    registrar         TEXT,
    registered_number TEXT,
    founded           INTEGER,
    members           INTEGER,
    website           TEXT,
    indexable         INTEGER NOT NULL DEFAULT 0,
    boost_allowed     INTEGER NOT NULL DEFAULT 1,   -- the actor allows directory boosts
    boost_excluded    INTEGER NOT NULL DEFAULT 0,   -- the organiser turned boosts off
    listed_at         BIGINT,
    last_seen_at      BIGINT,
    last_active_at    BIGINT,
    next_refresh_at   BIGINT NOT NULL DEFAULT 0,
    missing_count     INTEGER NOT NULL DEFAULT 0,   -- refreshes in a row that answered 404
    delisted_reason   TEXT
);
CREATE INDEX listings_by_state ON listings (state, name);
CREATE INDEX listings_refresh ON listings (state, next_refresh_at);

CREATE TABLE listing_sectors (
    actor_id TEXT NOT NULL REFERENCES listings(actor_id) ON DELETE CASCADE,
    sector   TEXT NOT NULL,
    PRIMARY KEY (actor_id, sector)
);
CREATE INDEX listing_sectors_by_sector ON listing_sectors (sector, actor_id);

-- Stories of listed, indexable actors.
CREATE TABLE listing_stories (
    id           TEXT PRIMARY KEY,
    actor_id     TEXT NOT NULL REFERENCES listings(actor_id) ON DELETE CASCADE,
    title        TEXT NOT NULL DEFAULT '',
    content      TEXT NOT NULL DEFAULT '',      -- sanitised HTML
    url          TEXT,
    kind         TEXT NOT NULL DEFAULT 'story', -- story, research, news, event
    published_at BIGINT NOT NULL
);
CREATE INDEX listing_stories_by_actor ON listing_stories (actor_id, published_at);
CREATE INDEX listing_stories_by_kind ON listing_stories (kind, published_at);

-- Candidates for the organiser to review; never followed automatically.
CREATE TABLE directory_suggestions (
    actor_id TEXT PRIMARY KEY,
    source   TEXT NOT NULL,
    found_at BIGINT NOT NULL
);

-- Full-text search documents, one per listing: name, summary, locality and, for indexable
-- actors, their stories' text.
CREATE VIRTUAL TABLE listing_search USING fts5(actor_id UNINDEXED, body, tokenize = 'porter unicode61');
