-- atende core schema. Timestamps are UTC milliseconds since the epoch; civil dates are 'YYYY-MM-DD'.
-- SQLite has no boolean type; flags are INTEGER 0/1 here and BOOLEAN on PostgreSQL.

CREATE TABLE plans (
    code        TEXT NOT NULL PRIMARY KEY,
    name        TEXT NOT NULL,
    paid        INTEGER NOT NULL,
    tier        TEXT CHECK (tier IN ('standard', 'premium')),
    position    BIGINT NOT NULL
);

CREATE TABLE plan_channels (
    plan_code    TEXT NOT NULL REFERENCES plans (code) ON DELETE CASCADE,
    channel      TEXT NOT NULL CHECK (channel IN ('documentation', 'forum', 'portal', 'email', 'whatsapp', 'phone')),
    availability TEXT NOT NULL CHECK (availability IN ('included', 'conditional')),
    PRIMARY KEY (plan_code, channel)
);

CREATE TABLE ticket_type_texts (
    type_code   TEXT NOT NULL CHECK (type_code IN ('question', 'task', 'incident')),
    lang        TEXT NOT NULL CHECK (lang IN ('es', 'pt-BR', 'en')),
    name        TEXT NOT NULL,
    definition  TEXT NOT NULL,
    PRIMARY KEY (type_code, lang)
);

CREATE TABLE organizations (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX organizations_name ON organizations (name);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    email           TEXT NOT NULL,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('customer', 'customer_admin', 'agent', 'supervisor', 'admin')),
    organization_id BIGINT REFERENCES organizations (id),
    password_hash   TEXT,
    language        TEXT CHECK (language IN ('es', 'pt-BR', 'en')),
    time_zone       TEXT NOT NULL,
    registered_at   BIGINT,
    created_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (email);
CREATE INDEX users_organization ON users (organization_id);

CREATE TABLE identities (
    id          INTEGER PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('email', 'whatsapp')),
    value       TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX identities_kind_value ON identities (kind, value);
CREATE INDEX identities_user ON identities (user_id);

CREATE TABLE contracts (
    id              INTEGER PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    plan_code       TEXT NOT NULL REFERENCES plans (code),
    name            TEXT NOT NULL,
    starts_on       TEXT NOT NULL,
    ends_on         TEXT,
    phone_addon     INTEGER NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX contracts_organization ON contracts (organization_id);

CREATE TABLE bots (
    id          INTEGER PRIMARY KEY,
    contract_id BIGINT NOT NULL REFERENCES contracts (id),
    name        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX bots_contract ON bots (contract_id);

CREATE TABLE contract_members (
    contract_id BIGINT NOT NULL REFERENCES contracts (id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (contract_id, user_id)
);
CREATE INDEX contract_members_user ON contract_members (user_id);

CREATE TABLE bot_members (
    bot_id      BIGINT NOT NULL REFERENCES bots (id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (bot_id, user_id)
);
CREATE INDEX bot_members_user ON bot_members (user_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('session', 'api')),
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE login_failures (
    id          INTEGER PRIMARY KEY,
    email       TEXT NOT NULL,
    ip          TEXT NOT NULL,
    at          BIGINT NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, at);
CREATE INDEX login_failures_ip ON login_failures (ip, at);

CREATE TABLE invitations (
    id              INTEGER PRIMARY KEY,
    token_hash      TEXT NOT NULL,
    email           TEXT NOT NULL,
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    contract_id     BIGINT REFERENCES contracts (id),
    bot_id          BIGINT REFERENCES bots (id),
    role            TEXT NOT NULL CHECK (role IN ('customer', 'customer_admin')),
    invited_by      BIGINT NOT NULL REFERENCES users (id),
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    accepted_at     BIGINT,
    accepted_by     BIGINT REFERENCES users (id)
);
CREATE UNIQUE INDEX invitations_token ON invitations (token_hash);

CREATE TABLE join_requests (
    id          INTEGER PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    contract_id BIGINT NOT NULL REFERENCES contracts (id),
    bot_id      BIGINT REFERENCES bots (id),
    message     TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by  BIGINT REFERENCES users (id),
    created_at  BIGINT NOT NULL,
    decided_at  BIGINT
);
CREATE INDEX join_requests_contract ON join_requests (contract_id, status);
CREATE INDEX join_requests_user ON join_requests (user_id);

CREATE TABLE tickets (
    id           INTEGER PRIMARY KEY,
    type         TEXT NOT NULL CHECK (type IN ('question', 'task', 'incident')),
    subject      TEXT NOT NULL,
    description  TEXT NOT NULL,
    priority     TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    status       TEXT NOT NULL CHECK (status IN ('new', 'open', 'pending', 'on_hold', 'solved', 'closed')),
    channel      TEXT NOT NULL CHECK (channel IN ('portal', 'email', 'whatsapp', 'webchat', 'phone', 'api')),
    contract_id  BIGINT NOT NULL REFERENCES contracts (id),
    bot_id       BIGINT REFERENCES bots (id),
    requester_id BIGINT NOT NULL REFERENCES users (id),
    assignee_id  BIGINT REFERENCES users (id),
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX tickets_contract ON tickets (contract_id, id);
CREATE INDEX tickets_requester ON tickets (requester_id, id);
CREATE INDEX tickets_assignee ON tickets (assignee_id, id);
CREATE INDEX tickets_status ON tickets (status, id);

CREATE TABLE messages (
    id          INTEGER PRIMARY KEY,
    ticket_id   BIGINT NOT NULL REFERENCES tickets (id),
    author_id   BIGINT NOT NULL REFERENCES users (id),
    visibility  TEXT NOT NULL CHECK (visibility IN ('public', 'internal')),
    channel     TEXT NOT NULL CHECK (channel IN ('portal', 'email', 'whatsapp', 'webchat', 'phone', 'api')),
    body        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX messages_ticket ON messages (ticket_id, id);

-- Append-only: every change to a ticket, who made it, when and through which channel.
CREATE TABLE ticket_events (
    id          INTEGER PRIMARY KEY,
    ticket_id   BIGINT NOT NULL REFERENCES tickets (id),
    actor_id    BIGINT REFERENCES users (id),
    channel     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    data        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, id);
