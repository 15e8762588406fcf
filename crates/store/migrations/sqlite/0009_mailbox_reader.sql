-- One process at a time reads a mailbox: it holds a lease it renews while it reads, and another
-- takes over when the lease runs out (a process that died holds nothing for long).
ALTER TABLE mailboxes ADD COLUMN reader TEXT;
ALTER TABLE mailboxes ADD COLUMN reader_until BIGINT;

-- Messages that will not be sent (a permanent refusal, or out of attempts), counted by /metrics.
CREATE INDEX mail_outbox_failed ON mail_outbox (failed_at) WHERE failed_at IS NOT NULL;
