-- The e-mail channel: mailboxes read over IMAP, every Message-ID seen, every message received
-- (kept whole, the access queue among them), and the outbox that SMTP drains.

CREATE TABLE mailboxes (
    id              INTEGER PRIMARY KEY,
    address         TEXT NOT NULL,
    imap_host       TEXT NOT NULL,
    imap_port       BIGINT NOT NULL,
    imap_tls        INTEGER NOT NULL,
    imap_username   TEXT NOT NULL,
    imap_password   TEXT NOT NULL,
    folder          TEXT NOT NULL,
    active          INTEGER NOT NULL,
    uid_validity    BIGINT NOT NULL DEFAULT 0,
    last_uid        BIGINT NOT NULL DEFAULT 0,
    last_error      TEXT,
    polled_at       BIGINT,
    created_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX mailboxes_address ON mailboxes (address);

CREATE TABLE inbound_mails (
    id              INTEGER PRIMARY KEY,
    mailbox_id      BIGINT REFERENCES mailboxes (id) ON DELETE SET NULL,
    message_id      TEXT,
    sender          TEXT NOT NULL,
    subject         TEXT NOT NULL,
    raw             BLOB NOT NULL,
    outcome         TEXT NOT NULL CHECK (outcome IN ('ticket', 'reply', 'queued', 'ignored', 'dismissed', 'converted')),
    reason          TEXT,
    ticket_id       BIGINT REFERENCES tickets (id),
    answered        INTEGER NOT NULL DEFAULT 0,
    received_at     BIGINT NOT NULL,
    resolved_by     BIGINT REFERENCES users (id),
    resolved_at     BIGINT
);
CREATE INDEX inbound_mails_outcome ON inbound_mails (outcome, id);
CREATE INDEX inbound_mails_sender ON inbound_mails (sender, received_at);

CREATE TABLE mail_ids (
    message_id      TEXT NOT NULL PRIMARY KEY,
    ticket_id       BIGINT REFERENCES tickets (id),
    direction       TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    created_at      BIGINT NOT NULL
);
CREATE INDEX mail_ids_ticket ON mail_ids (ticket_id);

CREATE TABLE mail_outbox (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    dedupe_key      TEXT NOT NULL,
    sender          TEXT NOT NULL,
    recipients      TEXT NOT NULL,
    message_id      TEXT NOT NULL,
    raw             BLOB NOT NULL,
    ticket_id       BIGINT REFERENCES tickets (id),
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    sent_at         BIGINT,
    failed_at       BIGINT,
    last_error      TEXT,
    created_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX mail_outbox_dedupe ON mail_outbox (dedupe_key);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

-- Events not yet turned into notifications. Rows written before this column existed count as
-- done, so an upgrade does not mail the whole history; new events are written pending.
ALTER TABLE ticket_events ADD COLUMN notify_pending INTEGER NOT NULL DEFAULT 0;
CREATE INDEX ticket_events_notify ON ticket_events (id) WHERE notify_pending;

-- People copied on a ticket (Cc of an entitled user): they get its public updates.
CREATE TABLE ticket_followers (
    ticket_id       BIGINT NOT NULL REFERENCES tickets (id),
    user_id         BIGINT NOT NULL REFERENCES users (id),
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (ticket_id, user_id)
);

-- A ticket opened because its sender named another one they may not write into.
CREATE TABLE ticket_links (
    ticket_id       BIGINT NOT NULL REFERENCES tickets (id),
    linked_id       BIGINT NOT NULL REFERENCES tickets (id),
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (ticket_id, linked_id)
);
