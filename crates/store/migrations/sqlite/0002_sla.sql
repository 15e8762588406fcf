-- SLA: calendars, policies, per-ticket clocks (one row per target cycle) and notifications.

CREATE TABLE sla_calendars (
    code          TEXT NOT NULL PRIMARY KEY,
    name          TEXT NOT NULL,
    time_zone     TEXT NOT NULL,
    -- JSON: seven lists (Monday first) of [start_minute, end_minute] pairs.
    week          TEXT NOT NULL,
    -- Holidays computed by rule: 'brazil' or 'none'.
    holiday_rules TEXT NOT NULL CHECK (holiday_rules IN ('brazil', 'none'))
);

CREATE TABLE sla_holidays (
    calendar_code TEXT NOT NULL REFERENCES sla_calendars (code) ON DELETE CASCADE,
    day           TEXT NOT NULL,
    name          TEXT NOT NULL,
    PRIMARY KEY (calendar_code, day)
);

CREATE TABLE sla_policies (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    position        BIGINT NOT NULL,
    tier            TEXT CHECK (tier IN ('standard', 'premium')),
    ticket_type     TEXT CHECK (ticket_type IN ('question', 'task', 'incident')),
    -- Comma-separated priorities; empty matches every priority.
    priorities      TEXT NOT NULL,
    calendar_code   TEXT NOT NULL REFERENCES sla_calendars (code),
    first_response  BIGINT,
    next_response   BIGINT,
    periodic_update BIGINT,
    resolution      BIGINT,
    pause_statuses  TEXT NOT NULL,
    warn_percent    BIGINT NOT NULL
);

CREATE TABLE sla_clocks (
    ticket_id      BIGINT NOT NULL REFERENCES tickets (id),
    target         TEXT NOT NULL CHECK (target IN ('first_response', 'next_response', 'periodic_update', 'resolution')),
    cycle          BIGINT NOT NULL,
    policy_id      BIGINT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('running', 'paused', 'achieved', 'breached')),
    target_minutes BIGINT NOT NULL,
    started_at     BIGINT NOT NULL,
    stopped_at     BIGINT,
    due_at         BIGINT,
    warn_at        BIGINT,
    elapsed_secs   BIGINT NOT NULL,
    paused_secs    BIGINT NOT NULL,
    -- Set once, by whoever claims the warning or the breach first.
    warned_at      BIGINT,
    breach_recorded_at BIGINT,
    PRIMARY KEY (ticket_id, target, cycle)
);
-- The sweep reads only what is still to warn or to record, so its cost follows the work, not the table.
CREATE INDEX sla_clocks_to_warn ON sla_clocks (warn_at) WHERE warned_at IS NULL AND state = 'running';
CREATE INDEX sla_clocks_to_breach ON sla_clocks (due_at) WHERE breach_recorded_at IS NULL AND state IN ('running', 'breached');

ALTER TABLE tickets ADD COLUMN sla_policy_id BIGINT;
-- The earliest due time of the ticket's running clocks: the agent queue sorts by it.
ALTER TABLE tickets ADD COLUMN sla_due_at BIGINT;
CREATE INDEX tickets_sla_due ON tickets (sla_due_at);

CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    ticket_id   BIGINT REFERENCES tickets (id),
    kind        TEXT NOT NULL,
    data        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    read_at     BIGINT
);
CREATE INDEX notifications_user ON notifications (user_id, id);
