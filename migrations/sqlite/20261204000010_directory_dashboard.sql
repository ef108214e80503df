-- What the organiser's dashboard shows (issue #5): when a co-op left, and the last refresh
-- that failed (cleared by the next one that succeeds). Same in both dialects.
ALTER TABLE listings ADD COLUMN delisted_at BIGINT;
ALTER TABLE listings ADD COLUMN refresh_error TEXT;
ALTER TABLE listings ADD COLUMN refresh_failed_at BIGINT;
