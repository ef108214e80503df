-- The first schema of a mutual node (PostgreSQL dialect; sqlite/ holds the same schema).
-- Conventions: times are integer milliseconds since the Unix epoch; flags are BIGINT 0/1
-- (to match the SQLite schema, whose booleans the Any driver cannot read); JSON is stored as TEXT.

-- Node-wide settings, such as the instance actor's key pair.
CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- A co-op hosted on this node: an ActivityPub Organization with a structured profile.
CREATE TABLE coops (
    id                BIGSERIAL PRIMARY KEY,
    handle            TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    summary           TEXT NOT NULL DEFAULT '',   -- Markdown as written
    website           TEXT,
    legal_form        TEXT,
    registrar         TEXT,
    registered_number TEXT,
    membership_type   TEXT,
    nation            TEXT NOT NULL,
    region            TEXT,
    locality          TEXT,
    latitude          DOUBLE PRECISION,
    longitude         DOUBLE PRECISION,
    founded           BIGINT,
    members           BIGINT,
    discoverable      BIGINT NOT NULL DEFAULT 1,
    indexable         BIGINT NOT NULL DEFAULT 1,
    manual_approval   BIGINT NOT NULL DEFAULT 0,
    private_key_pem   TEXT NOT NULL,
    public_key_pem    TEXT NOT NULL,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL
);

-- A co-op's art forms: one row per sector, so the directory can facet on them.
CREATE TABLE coop_sectors (
    coop_id BIGINT NOT NULL REFERENCES coops(id) ON DELETE CASCADE,
    sector  TEXT NOT NULL,
    PRIMARY KEY (coop_id, sector)
);

-- A story published by a co-op. A deleted story keeps its row so its URL answers 410.
CREATE TABLE stories (
    id           BIGSERIAL PRIMARY KEY,
    public_id    TEXT NOT NULL UNIQUE,           -- the last path segment of the Note's id
    coop_id      BIGINT NOT NULL REFERENCES coops(id) ON DELETE CASCADE,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,                  -- Markdown as written
    published_at BIGINT NOT NULL,
    updated_at   BIGINT,
    deleted_at   BIGINT
);
CREATE INDEX stories_by_coop ON stories (coop_id, published_at);

CREATE TABLE story_tags (
    story_id BIGINT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    tag      TEXT NOT NULL,
    PRIMARY KEY (story_id, tag)
);

-- Remote actors we have fetched: the cache behind signature checks and deliveries.
CREATE TABLE remote_actors (
    id                 TEXT PRIMARY KEY,         -- the actor's URL
    kind               TEXT NOT NULL,
    preferred_username TEXT,
    name               TEXT,
    inbox              TEXT NOT NULL,
    shared_inbox       TEXT,
    key_id             TEXT,
    public_key_pem     TEXT,
    document           TEXT NOT NULL,
    fetched_at         BIGINT NOT NULL
);
CREATE INDEX remote_actors_by_key ON remote_actors (key_id);

-- Who follows a co-op. state is 'pending' (manual approval) or 'accepted'.
CREATE TABLE followers (
    id         BIGSERIAL PRIMARY KEY,
    coop_id    BIGINT NOT NULL REFERENCES coops(id) ON DELETE CASCADE,
    actor_id   TEXT NOT NULL,
    inbox      TEXT NOT NULL,
    shared_inbox TEXT,
    follow_id  TEXT NOT NULL,                    -- the id of their Follow activity
    state      TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (coop_id, actor_id)
);

-- Whom a co-op follows. state is 'pending', 'accepted' or 'rejected'.
CREATE TABLE follows (
    id         BIGSERIAL PRIMARY KEY,
    coop_id    BIGINT NOT NULL REFERENCES coops(id) ON DELETE CASCADE,
    target_id  TEXT NOT NULL,
    follow_id  TEXT NOT NULL UNIQUE,             -- the id of our Follow activity
    state      TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (coop_id, target_id)
);

-- Posts received from actors that co-ops here follow.
CREATE TABLE remote_posts (
    id           TEXT PRIMARY KEY,               -- the object's id
    actor_id     TEXT NOT NULL,
    kind         TEXT NOT NULL,
    name         TEXT,
    content      TEXT NOT NULL,                  -- sanitised HTML
    url          TEXT,
    published_at BIGINT,
    updated_at   BIGINT,
    received_at  BIGINT NOT NULL
);
CREATE INDEX remote_posts_by_actor ON remote_posts (actor_id);

-- Every activity this node has sent, so that its id stays resolvable.
CREATE TABLE activities (
    id         TEXT PRIMARY KEY,
    coop_id    BIGINT REFERENCES coops(id) ON DELETE CASCADE,  -- the signer; NULL is the instance actor
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- The outgoing queue: one row per (activity, inbox).
CREATE TABLE deliveries (
    id              BIGSERIAL PRIMARY KEY,
    activity_id     TEXT NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    inbox           TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending',   -- pending, done, failed
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    locked_until    BIGINT,
    last_error      TEXT,
    created_at      BIGINT NOT NULL,
    UNIQUE (activity_id, inbox)
);
CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at);

-- Ids of activities already received, so a repeated delivery has no second effect.
CREATE TABLE received_activities (
    id          TEXT PRIMARY KEY,
    received_at BIGINT NOT NULL
);
