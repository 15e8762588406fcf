-- The smart contact: one conversation per channel identity (a WhatsApp number, a web chat
-- visitor), its state in the bot's flow, what was said both ways, and the WhatsApp messages
-- waiting to be sent.
CREATE TABLE conversations (
    id              INTEGER PRIMARY KEY,
    -- whatsapp or webchat
    channel         TEXT NOT NULL,
    -- The WhatsApp number (wa_id) or the web chat visitor's key.
    identity        TEXT NOT NULL,
    user_id         BIGINT REFERENCES users (id) ON DELETE SET NULL,
    -- The name the channel gave (WhatsApp profile name).
    display_name    TEXT NOT NULL,
    -- JSON of the bot's state.
    state           TEXT NOT NULL,
    -- The last message from the person: WhatsApp's 24-hour window runs from it.
    last_inbound_at BIGINT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX conversations_identity ON conversations (channel, identity);
CREATE INDEX conversations_user ON conversations (user_id);

CREATE TABLE conversation_messages (
    id              INTEGER PRIMARY KEY,
    conversation_id BIGINT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    -- in (from the person) or out (from the bot or an agent)
    direction       TEXT NOT NULL,
    -- What was said, as text.
    body            TEXT NOT NULL,
    -- The bot's words with their options (JSON), for a channel that shows them as buttons.
    payload         TEXT NOT NULL,
    -- The channel's own id of the message (WhatsApp's wamid): a delivery seen twice is taken once.
    external_id     TEXT,
    -- received, queued, sent, delivered, read, failed
    status          TEXT NOT NULL,
    error           TEXT NOT NULL,
    ticket_id       BIGINT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX conversation_messages_external ON conversation_messages (external_id);
CREATE INDEX conversation_messages_conversation ON conversation_messages (conversation_id, id);
CREATE INDEX conversation_messages_ticket ON conversation_messages (ticket_id);

-- WhatsApp messages to send through the Graph API, from a durable queue.
CREATE TABLE whatsapp_outbox (
    id              INTEGER PRIMARY KEY,
    message_id      BIGINT NOT NULL REFERENCES conversation_messages (id) ON DELETE CASCADE,
    -- The recipient's number.
    recipient       TEXT NOT NULL,
    -- The Graph API request body (JSON).
    payload         TEXT NOT NULL,
    attempts        BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    sent_at         BIGINT,
    failed_at       BIGINT,
    last_error      TEXT,
    created_at      BIGINT NOT NULL
);
CREATE INDEX whatsapp_outbox_due ON whatsapp_outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
-- Counted by /metrics and /readyz at every scrape, like the mail outbox's.
CREATE INDEX whatsapp_outbox_failed ON whatsapp_outbox (failed_at) WHERE failed_at IS NOT NULL;

-- Pictures and documents a person sent while opening a ticket, kept until the ticket takes them
-- (their bytes are with the other files', by SHA-256).
CREATE TABLE conversation_files (
    id              INTEGER PRIMARY KEY,
    conversation_id BIGINT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    file_name       TEXT NOT NULL,
    content_type    TEXT NOT NULL,
    sha256          TEXT NOT NULL,
    size            BIGINT NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX conversation_files_conversation ON conversation_files (conversation_id);

-- One-time codes a web chat visitor asks for by e-mail to say who they are (hashed; minutes long).
CREATE TABLE chat_codes (
    identity        TEXT NOT NULL,
    user_id         BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash       TEXT NOT NULL,
    attempts        BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    PRIMARY KEY (identity)
);
