-- What the web pages add: password resets, tags, satisfaction ratings, attachments, and phone support.

-- A reset link is a random token stored as its hash; it works once and for a short time.
CREATE TABLE password_resets (
    id          INTEGER PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT
);
CREATE UNIQUE INDEX password_resets_token ON password_resets (token_hash);
CREATE INDEX password_resets_user ON password_resets (user_id, created_at);

CREATE TABLE ticket_tags (
    ticket_id   BIGINT NOT NULL REFERENCES tickets (id),
    tag         TEXT NOT NULL,
    PRIMARY KEY (ticket_id, tag)
);
CREATE INDEX ticket_tags_tag ON ticket_tags (tag, ticket_id);

-- The requester's verdict on a solved ticket; one per ticket, changed by rating again.
CREATE TABLE ticket_ratings (
    ticket_id   BIGINT NOT NULL PRIMARY KEY REFERENCES tickets (id),
    rating      TEXT NOT NULL CHECK (rating IN ('good', 'bad')),
    comment     TEXT NOT NULL,
    rated_by    BIGINT NOT NULL REFERENCES users (id),
    rated_at    BIGINT NOT NULL
);

-- File contents live in the database, once per distinct content: written in the same transaction
-- as the message, shared by every server process, and included in every backup.
CREATE TABLE attachment_blobs (
    sha256      TEXT NOT NULL PRIMARY KEY,
    data        BLOB NOT NULL
);

CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    ticket_id    BIGINT NOT NULL REFERENCES tickets (id),
    message_id   BIGINT REFERENCES messages (id),
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL REFERENCES attachment_blobs (sha256),
    uploaded_by  BIGINT NOT NULL REFERENCES users (id),
    created_at   BIGINT NOT NULL
);
CREATE INDEX attachments_ticket ON attachments (ticket_id, id);

-- A call an agent took or made, logged on a ticket.
CREATE TABLE phone_calls (
    id               INTEGER PRIMARY KEY,
    ticket_id        BIGINT NOT NULL REFERENCES tickets (id),
    message_id       BIGINT REFERENCES messages (id),
    direction        TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    phone_number     TEXT NOT NULL,
    duration_seconds BIGINT NOT NULL,
    agent_id         BIGINT NOT NULL REFERENCES users (id),
    created_at       BIGINT NOT NULL
);
CREATE INDEX phone_calls_ticket ON phone_calls (ticket_id, id);

-- A customer's request to be called back; agents work them oldest preferred time first.
CREATE TABLE callback_requests (
    id            INTEGER PRIMARY KEY,
    requester_id  BIGINT NOT NULL REFERENCES users (id),
    contract_id   BIGINT NOT NULL REFERENCES contracts (id),
    phone_number  TEXT NOT NULL,
    preferred_at  BIGINT NOT NULL,
    subject       TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('waiting', 'done', 'cancelled')),
    ticket_id     BIGINT REFERENCES tickets (id),
    handled_by    BIGINT REFERENCES users (id),
    created_at    BIGINT NOT NULL,
    handled_at    BIGINT
);
CREATE INDEX callback_requests_status ON callback_requests (status, preferred_at);
CREATE INDEX callback_requests_requester ON callback_requests (requester_id, id);
