-- Keyed deletes for the directory's search documents (found by benches/directory_browse.rs).
-- FTS5 cannot index `listing_search.actor_id` (an UNINDEXED column), so
-- `DELETE FROM listing_search WHERE actor_id = ?` scanned every document: every reindex
-- (each pushed story, each refresh) cost time proportional to the whole index, about
-- 100 ms at 100,000 listings. This table maps each listing to the rowid of its document,
-- so put and remove touch one row by rowid (src/db/directory_search.rs).
CREATE TABLE listing_search_ids (
    docid    INTEGER PRIMARY KEY,   -- the rowid of the listing's document in listing_search
    actor_id TEXT NOT NULL UNIQUE
);

-- Documents already stored keep their rowids; any duplicates (there should be none) go.
INSERT INTO listing_search_ids (docid, actor_id)
    SELECT MIN(rowid), actor_id FROM listing_search GROUP BY actor_id;
DELETE FROM listing_search WHERE rowid NOT IN (SELECT docid FROM listing_search_ids);
