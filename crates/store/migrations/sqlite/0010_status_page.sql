-- The status page: components and the history of their states (uptime is computed from it),
-- incidents and scheduled maintenances with their timelines, subscribers and their deliveries,
-- and the links between customers' tickets and platform incidents.

CREATE TABLE status_components (
    id              INTEGER PRIMARY KEY,
    -- A stable slug; the default components' names come from the page's translations.
    code            TEXT NOT NULL,
    -- Empty: the translated name of the code.
    name            TEXT NOT NULL,
    description     TEXT NOT NULL,
    -- Groups are components too, one level deep.
    group_id        BIGINT REFERENCES status_components (id) ON DELETE SET NULL,
    position        BIGINT NOT NULL,
    status          TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX status_components_code ON status_components (code);

CREATE TABLE status_changes (
    id              INTEGER PRIMARY KEY,
    component_id    BIGINT NOT NULL REFERENCES status_components (id) ON DELETE CASCADE,
    status          TEXT NOT NULL,
    at              BIGINT NOT NULL
);
CREATE INDEX status_changes_component ON status_changes (component_id, at);

-- Incidents (kind 'incident') and scheduled maintenances (kind 'maintenance').
CREATE TABLE status_incidents (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('incident', 'maintenance')),
    name            TEXT NOT NULL,
    status          TEXT NOT NULL,
    impact          TEXT NOT NULL,
    postmortem      TEXT,
    scheduled_for   BIGINT,
    scheduled_until BIGINT,
    -- Why a maintenance was announced with less than the usual notice.
    short_notice    TEXT,
    created_by      BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    started_at      BIGINT NOT NULL,
    monitoring_at   BIGINT,
    resolved_at     BIGINT
);
CREATE INDEX status_incidents_recent ON status_incidents (kind, created_at);

CREATE TABLE status_incident_components (
    incident_id     BIGINT NOT NULL REFERENCES status_incidents (id) ON DELETE CASCADE,
    component_id    BIGINT NOT NULL REFERENCES status_components (id) ON DELETE CASCADE,
    PRIMARY KEY (incident_id, component_id)
);

CREATE TABLE status_updates (
    id              INTEGER PRIMARY KEY,
    incident_id     BIGINT NOT NULL REFERENCES status_incidents (id) ON DELETE CASCADE,
    status          TEXT NOT NULL,
    body            TEXT NOT NULL,
    -- The components' states this update set, as JSON ([{"id", "code", "old_status", "new_status"}]).
    affected        TEXT NOT NULL,
    notify          INTEGER NOT NULL,
    created_by      BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX status_updates_incident ON status_updates (incident_id, id);

-- Customers' incident tickets that follow a platform incident.
CREATE TABLE status_ticket_links (
    incident_id     BIGINT NOT NULL REFERENCES status_incidents (id) ON DELETE CASCADE,
    ticket_id       BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    linked_by       BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (incident_id, ticket_id)
);
CREATE INDEX status_ticket_links_ticket ON status_ticket_links (ticket_id);

CREATE TABLE status_subscribers (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('email', 'webhook')),
    -- An e-mail address, or the webhook's URL.
    target          TEXT NOT NULL,
    lang            TEXT NOT NULL,
    -- The components followed, as JSON ids; empty: all.
    components      TEXT NOT NULL,
    -- Confirms (double opt-in) and unsubscribes in one click; kept hashed.
    token_hash      TEXT NOT NULL,
    -- The key that signs a webhook's payloads (shown once when subscribing).
    secret          TEXT,
    confirmed_at    BIGINT,
    created_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX status_subscribers_target ON status_subscribers (kind, target);
CREATE UNIQUE INDEX status_subscribers_token ON status_subscribers (token_hash);

-- Webhook deliveries: a durable queue with retries, like the mail outbox.
CREATE TABLE status_deliveries (
    id              INTEGER PRIMARY KEY,
    subscriber_id   BIGINT NOT NULL REFERENCES status_subscribers (id) ON DELETE CASCADE,
    dedupe_key      TEXT NOT NULL,
    payload         TEXT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    delivered_at    BIGINT,
    failed_at       BIGINT,
    last_error      TEXT,
    created_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX status_deliveries_dedupe ON status_deliveries (dedupe_key);
CREATE INDEX status_deliveries_due ON status_deliveries (next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL;
