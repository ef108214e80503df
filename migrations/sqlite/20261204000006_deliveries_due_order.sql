-- Claims read due rows in (next_attempt_at, id) order and stop early. On SQLite the
-- existing deliveries_due (state, next_attempt_at) index already gives that order: `id`
-- is the rowid, which every index entry ends with. Nothing to do; this file keeps the
-- two migration lists in step.
SELECT 1;
