-- Keyed deletes for the directory's search documents: the SQLite dialect needs a table
-- mapping listings to the rowids of their FTS5 documents (see
-- migrations/sqlite/20261204000003_directory_search_ids.sql). Here `listing_search.actor_id`
-- is already the primary key, so the schema needs nothing; this file keeps the two
-- dialects' migration versions in step.
SELECT 1;
