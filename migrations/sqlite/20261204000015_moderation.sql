-- Moderation (issue #7): blocks and reports. SQLite dialect; postgres/ has the same.

-- Domains the node admin blocked. `domain` is a lowercase host, or host:port when the
-- block names a port. A block covers the host and its subdomains: activities signed from
-- there are refused (403), GETs they sign are refused, and what was stored is purged.
CREATE TABLE domain_blocks (
    domain     TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL
);

-- Actors a co-op's admins blocked: the actor may not follow the co-op, and its
-- activities that concern only co-ops blocking it are refused (403).
CREATE TABLE actor_blocks (
    coop_id    INTEGER NOT NULL REFERENCES coops(id) ON DELETE CASCADE,
    actor_id   TEXT NOT NULL,            -- the blocked actor's URL
    created_at BIGINT NOT NULL,
    PRIMARY KEY (coop_id, actor_id)
);
CREATE INDEX actor_blocks_by_actor ON actor_blocks (actor_id);

-- Reports: one per incoming Flag, for the node admin.
CREATE TABLE reports (
    id          INTEGER PRIMARY KEY,
    activity_id TEXT NOT NULL UNIQUE,    -- the Flag's id
    reporter    TEXT NOT NULL,           -- the actor that signed the Flag
    objects     TEXT NOT NULL,           -- JSON array of the reported URLs on this node
    content     TEXT NOT NULL,           -- the reporter's comment as plain text
    received_at BIGINT NOT NULL
);
