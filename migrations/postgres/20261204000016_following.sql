-- Following (issue #7). A co-op may hide whom it follows: its `following` collection then
-- shows only `totalItems`, as Mastodon does for accounts that hide their network.
ALTER TABLE coops ADD COLUMN hide_following BIGINT NOT NULL DEFAULT 0;

-- The remote-actor cache is refreshed about daily (federation/actor_refresh.rs). After a
-- failed refresh the actor is not tried again before `refresh_after` (milliseconds), so a
-- host that is down is not asked on every pass. NULL: no failure since the last fetch.
ALTER TABLE remote_actors ADD COLUMN refresh_after BIGINT;
CREATE INDEX remote_actors_by_fetched_at ON remote_actors (fetched_at);
-- The refresh asks whether anyone here is followed by an actor.
CREATE INDEX followers_by_actor ON followers (actor_id);
