-- One process at a time reads a mailbox: it holds a lease it renews while it reads, and another
-- takes over when the lease runs out (a process that died holds nothing for long).
ALTER TABLE mailboxes ADD COLUMN reader TEXT;
ALTER TABLE mailboxes ADD COLUMN reader_until BIGINT;
