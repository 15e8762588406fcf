-- Daily rollups of the staff's reports: for each day of the operation's calendar that is over,
-- what the reports count (see crates/domain/src/reports.rs). The scheduler keeps them;
-- `atende reports rebuild` remakes them.
CREATE TABLE report_days (
    day             TEXT NOT NULL PRIMARY KEY,
    created         BIGINT NOT NULL,
    solved          BIGINT NOT NULL,
    reopened        BIGINT NOT NULL,
    sla_achieved    BIGINT NOT NULL,
    sla_breached    BIGINT NOT NULL,
    csat_good       BIGINT NOT NULL,
    csat_bad        BIGINT NOT NULL
);

-- Tickets created per channel and per type.
CREATE TABLE report_day_mix (
    day             TEXT NOT NULL,
    dimension       TEXT NOT NULL,
    value           TEXT NOT NULL,
    created         BIGINT NOT NULL,
    PRIMARY KEY (day, dimension, value)
);

CREATE TABLE report_day_agents (
    day             TEXT NOT NULL,
    agent_id        BIGINT NOT NULL,
    replies         BIGINT NOT NULL,
    solves          BIGINT NOT NULL,
    PRIMARY KEY (day, agent_id)
);

-- How many first responses and resolutions, from the first day through this one, took each
-- number of minutes (see minutes_of): a period's histogram is the difference of two days' rows,
-- whatever its length. Written for the days that had any.
CREATE TABLE report_durations (
    day             TEXT NOT NULL,
    target          TEXT NOT NULL,
    minutes         BIGINT NOT NULL,
    total           BIGINT NOT NULL,
    PRIMARY KEY (day, target, minutes)
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
