-- When a cached actor's server first answered 404 to a refresh (NULL: it has not). One 404 may
-- be a passing mistake; the actor is forgotten only when its server still says 404 a week on.
ALTER TABLE remote_actors ADD COLUMN missing_since BIGINT;
