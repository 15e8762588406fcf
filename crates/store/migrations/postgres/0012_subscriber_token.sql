-- A subscriber's token goes into every message's unsubscribe link, so it is kept as given: it is a
-- capability over that one subscription only (confirm it, end it), not a credential.
ALTER TABLE status_subscribers RENAME COLUMN token_hash TO token;
