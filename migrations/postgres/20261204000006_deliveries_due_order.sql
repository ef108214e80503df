-- Claims read due rows in (next_attempt_at, id) order and stop early: the index gives
-- that order without sorting every due row.
CREATE INDEX deliveries_due_order ON deliveries (state, next_attempt_at, id);
DROP INDEX deliveries_due;
