-- Following the movement (issue #7): replies to a co-op's stories, boosts and likes, mentions,
-- and what was deleted. PostgreSQL dialect; sqlite/ has the same.

-- A received post may answer something: the object it replies to, the local story whose
-- conversation it is part of, and the top-level reply it hangs under (one level of
-- threading). A co-op's admins can hide a reply from its story's page.
ALTER TABLE remote_posts ADD COLUMN in_reply_to TEXT;
ALTER TABLE remote_posts ADD COLUMN story_id BIGINT REFERENCES stories(id) ON DELETE CASCADE;
ALTER TABLE remote_posts ADD COLUMN thread_parent TEXT;
ALTER TABLE remote_posts ADD COLUMN hidden_at BIGINT;
CREATE INDEX remote_posts_by_story ON remote_posts (story_id, published_at);

-- Boosts (Announce) by actors co-ops here follow; the boosted post is in remote_posts.
CREATE TABLE boosts (
    id           TEXT PRIMARY KEY,             -- the Announce's id
    actor_id     TEXT NOT NULL,                -- who boosted
    object_id    TEXT NOT NULL,                -- what (a remote_posts id)
    published_at BIGINT NOT NULL
);
CREATE INDEX boosts_by_actor ON boosts (actor_id, published_at);
CREATE INDEX boosts_by_object ON boosts (object_id);

-- Likes of a co-op's stories.
CREATE TABLE story_likes (
    story_id   BIGINT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    actor_id   TEXT NOT NULL,
    like_id    TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (story_id, actor_id)
);
CREATE INDEX story_likes_by_like ON story_likes (like_id);

-- What a co-op's members are told: mentions of the co-op, replies to its stories.
CREATE TABLE notifications (
    id         BIGSERIAL PRIMARY KEY,
    coop_id    BIGINT NOT NULL REFERENCES coops(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,                  -- mention or reply
    actor_id   TEXT NOT NULL,
    object_id  TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (coop_id, kind, object_id)
);
CREATE INDEX notifications_by_coop ON notifications (coop_id, created_at);

-- Remote objects known to be deleted: never stored again, whoever sends them.
CREATE TABLE tombstones (
    id         TEXT PRIMARY KEY,
    deleted_at BIGINT NOT NULL
);

-- Our own stories may reply to a remote post: its id and its author (who is told).
ALTER TABLE stories ADD COLUMN in_reply_to TEXT;
ALTER TABLE stories ADD COLUMN reply_to_actor TEXT;
