-- The node admin marks a report as dealt with (issue #7): it leaves the open list, and is kept.
ALTER TABLE reports ADD COLUMN resolved_at BIGINT;
