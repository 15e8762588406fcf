-- PostgreSQL's 0007 helps its planner with ticket searches; FTS5 needs no such help. This empty
-- step keeps both trees numbered alike.
SELECT 1;
