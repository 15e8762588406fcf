-- Daily rollups of the reports: for each day of the operation's calendar that is over, and each
-- combination of the dimensions that do not change as a ticket is worked, what the reports count
-- (see crates/domain/src/reports.rs). The scheduler keeps them; `atende reports rebuild` remakes them.
-- bot_id 0 stands for "no bot", so that it can be part of the key.
CREATE TABLE report_days (
    day             TEXT NOT NULL,
    contract_id     BIGINT NOT NULL,
    bot_id          BIGINT NOT NULL,
    channel         TEXT NOT NULL,
    ticket_type     TEXT NOT NULL,
    priority        TEXT NOT NULL,
    created         BIGINT NOT NULL,
    solved          BIGINT NOT NULL,
    reopened        BIGINT NOT NULL,
    sla_achieved    BIGINT NOT NULL,
    sla_breached    BIGINT NOT NULL,
    csat_good       BIGINT NOT NULL,
    csat_bad        BIGINT NOT NULL,
    PRIMARY KEY (day, contract_id, bot_id, channel, ticket_type, priority)
);

-- How many first responses and resolutions took each number of minutes (see minutes_of).
CREATE TABLE report_day_minutes (
    day             TEXT NOT NULL,
    contract_id     BIGINT NOT NULL,
    bot_id          BIGINT NOT NULL,
    channel         TEXT NOT NULL,
    ticket_type     TEXT NOT NULL,
    priority        TEXT NOT NULL,
    target          TEXT NOT NULL,
    minutes         BIGINT NOT NULL,
    count           BIGINT NOT NULL,
    PRIMARY KEY (day, contract_id, bot_id, channel, ticket_type, priority, target, minutes)
);

CREATE TABLE report_day_agents (
    day             TEXT NOT NULL,
    contract_id     BIGINT NOT NULL,
    bot_id          BIGINT NOT NULL,
    channel         TEXT NOT NULL,
    ticket_type     TEXT NOT NULL,
    priority        TEXT NOT NULL,
    agent_id        BIGINT NOT NULL,
    replies         BIGINT NOT NULL,
    solves          BIGINT NOT NULL,
    PRIMARY KEY (day, contract_id, bot_id, channel, ticket_type, priority, agent_id)
);

-- The calendar the days were cut on, and the last day rolled up.
CREATE TABLE report_rollup_state (
    id              BIGINT NOT NULL PRIMARY KEY,
    time_zone       TEXT NOT NULL,
    done_through    TEXT
);

-- Changes to what past days counted (a ticket's type changed, a solved ticket reopened, a rating
-- changed): the days from `since` on are rolled up again at the next run.
CREATE TABLE report_stale (
    id              INTEGER PRIMARY KEY,
    since           BIGINT NOT NULL
);

-- The backlog is counted from the open tickets alone; the rating comments are the latest ones.
CREATE INDEX tickets_open_created ON tickets (created_at) WHERE status NOT IN ('solved', 'closed');
CREATE INDEX ticket_ratings_recent ON ticket_ratings (rated_at);
