-- A co-op may show what it follows on a public "network" page (issue #7); off by default.
ALTER TABLE coops ADD COLUMN public_network BIGINT NOT NULL DEFAULT 0;
