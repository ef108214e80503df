-- People who work a node from the browser (issue #5): accounts, their roles in co-ops,
-- one-time links (node setup and invitations), sessions and failed log-ins. Same in both
-- dialects. Secrets (session ids, link tokens) are stored only as SHA-256 hashes.

CREATE TABLE accounts (
    id            TEXT PRIMARY KEY,            -- a UUID
    username      TEXT NOT NULL UNIQUE,        -- lower-case log-in name
    password_hash TEXT NOT NULL,               -- argon2id, PHC string
    node_admin    INTEGER NOT NULL DEFAULT 0,
    organiser     INTEGER NOT NULL DEFAULT 0,  -- a directory organiser
    created_at    BIGINT NOT NULL
);

-- A co-op has many members; admins edit the profile and the member list.
CREATE TABLE memberships (
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    coop_id    BIGINT NOT NULL REFERENCES coops(id) ON DELETE CASCADE,
    role       TEXT NOT NULL,                  -- admin, member
    created_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, coop_id)
);
CREATE INDEX memberships_by_coop ON memberships (coop_id);

-- One-time links: `setup` makes a node admin; `member` joins a co-op with a role;
-- `organiser` makes a directory organiser.
CREATE TABLE invites (
    token_hash TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    coop_id    BIGINT REFERENCES coops(id) ON DELETE CASCADE,
    role       TEXT,
    created_by TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);

CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    csrf         TEXT NOT NULL,                -- the token every form of this session carries
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account_id);

-- Failed log-ins, by `ip:ADDRESS` and `account:USERNAME`, for the rate limit.
CREATE TABLE login_failures (
    key TEXT NOT NULL,
    at  BIGINT NOT NULL
);
CREATE INDEX login_failures_by_key ON login_failures (key, at);
