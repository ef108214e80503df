-- The delivery engine (issue #4): each row knows its host (host[:port]), so workers can
-- bound requests per host and skip hosts that stay down; hosts have a failure record.

ALTER TABLE deliveries ADD COLUMN host TEXT NOT NULL DEFAULT '';

-- host = the authority of the inbox URL: between '://' and the next '/'.
UPDATE deliveries SET host = CASE
    WHEN INSTR(SUBSTR(inbox, INSTR(inbox, '://') + 3), '/') > 0
    THEN SUBSTR(SUBSTR(inbox, INSTR(inbox, '://') + 3), 1,
                INSTR(SUBSTR(inbox, INSTR(inbox, '://') + 3), '/') - 1)
    ELSE SUBSTR(inbox, INSTR(inbox, '://') + 3)
END;

-- States are now pending, done, failed (gave up) and skipped (host unavailable).
CREATE INDEX deliveries_by_host ON deliveries (host, state);
CREATE INDEX deliveries_finished ON deliveries (state, created_at);

-- Hosts deliveries have failed to reach. A host that failed on 7 separate days with no
-- success since is unavailable (unavailable_since set) and skipped until a success or a
-- signed activity from it clears the mark.
CREATE TABLE delivery_hosts (
    host              TEXT PRIMARY KEY,
    failure_days      INTEGER NOT NULL DEFAULT 0,
    last_failure_day  BIGINT,
    last_failure_at   BIGINT,
    last_error        TEXT,
    last_success_at   BIGINT,
    unavailable_since BIGINT
);
