-- Images (issue #5): every upload is decoded, checked, re-encoded (which drops EXIF and
-- GPS) and stored once under the SHA-256 of the stored bytes, in the data directory's
-- media/ folder. Stories have images with required alt text; co-ops an avatar and a header.
-- SQLite dialect; postgres/ has the same.
CREATE TABLE media (
    hash         TEXT PRIMARY KEY,      -- hex SHA-256 of the stored file
    content_type TEXT NOT NULL,         -- image/png or image/jpeg
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    bytes        BIGINT NOT NULL,
    created_at   BIGINT NOT NULL
);

CREATE TABLE story_media (
    story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    hash     TEXT NOT NULL REFERENCES media(hash),
    alt      TEXT NOT NULL,
    PRIMARY KEY (story_id, position)
);

ALTER TABLE story_drafts ADD COLUMN image_hash TEXT REFERENCES media(hash);
ALTER TABLE story_drafts ADD COLUMN image_alt TEXT NOT NULL DEFAULT '';
ALTER TABLE coops ADD COLUMN avatar_hash TEXT REFERENCES media(hash);
ALTER TABLE coops ADD COLUMN header_hash TEXT REFERENCES media(hash);
