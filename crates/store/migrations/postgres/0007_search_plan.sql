-- What PostgreSQL needs to plan ticket searches well (SQLite's FTS5 walks its doclists in rowid
-- order and needs neither).
--
-- A finer word census: with the default target, every word outside the thousand most common
-- is estimated at thousands of matches, so a search for a rare word walked the whole table
-- newest first instead of asking the GIN index for its few rows.
ALTER TABLE search_docs ALTER COLUMN terms SET STATISTICS 1000;

-- Newest ticket documents first without stepping over articles, which a rebuild of the help
-- center puts at the newest end of the table.
CREATE INDEX search_docs_ticket_newest ON search_docs (id) WHERE ticket_id IS NOT NULL;

ANALYZE search_docs;
