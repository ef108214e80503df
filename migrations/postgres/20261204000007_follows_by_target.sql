-- "Does any co-op here follow this actor?" is asked for every activity that arrives
-- (issue #4's inbox-ingest benchmark): without this index it scanned every follow.
CREATE INDEX follows_by_target ON follows (target_id, state);
