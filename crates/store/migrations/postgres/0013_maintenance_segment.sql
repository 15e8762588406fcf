-- The customers a maintenance concerns, as JSON ({"plans": [...], "organizations": [...]});
-- NULL when it concerns everyone (announced to the subscribers only).
ALTER TABLE status_incidents ADD COLUMN segment TEXT;
