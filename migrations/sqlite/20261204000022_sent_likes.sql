-- Likes a co-op here gave (issue #7's timeline): one per co-op and post, kept so that the
-- timeline shows what it liked and an Unlike can send the Undo of the same Like.
CREATE TABLE sent_likes (
    like_id    TEXT PRIMARY KEY,               -- the Like's id (ours)
    coop_id    INTEGER NOT NULL REFERENCES coops(id) ON DELETE CASCADE,
    object_id  TEXT NOT NULL,                  -- the post liked
    author_id  TEXT NOT NULL,                  -- its author, whose inbox gets the Like
    created_at BIGINT NOT NULL,
    UNIQUE (coop_id, object_id)
);
