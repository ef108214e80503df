-- Stories have a kind (issue #5): story, research, news or event, federated as the
-- `storyKind` extension term the directory reads. Drafts live in their own table, so no
-- public query, collection or feed can ever show one; publishing moves a draft into
-- `stories` in one transaction. PostgreSQL dialect; sqlite/ has the same.
ALTER TABLE stories ADD COLUMN kind TEXT NOT NULL DEFAULT 'story';

CREATE TABLE story_drafts (
    id         BIGSERIAL PRIMARY KEY,
    coop_id    BIGINT NOT NULL REFERENCES coops(id) ON DELETE CASCADE,
    title      TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL DEFAULT '',        -- Markdown as written
    tags       TEXT NOT NULL DEFAULT '',        -- space-separated, as typed
    kind       TEXT NOT NULL DEFAULT 'story',
    created_by TEXT,                            -- the account that started it
    updated_at BIGINT NOT NULL
);
CREATE INDEX story_drafts_by_coop ON story_drafts (coop_id, updated_at);
