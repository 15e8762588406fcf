-- Reports read a period's events and finished SLA measurements: by time, not by ticket.
CREATE INDEX ticket_events_recent ON ticket_events (created_at);
CREATE INDEX sla_clocks_stopped ON sla_clocks (stopped_at) WHERE stopped_at IS NOT NULL;
CREATE INDEX tickets_created ON tickets (created_at);

-- People who get the report of the past week by e-mail every Monday, and the Monday it last went.
CREATE TABLE report_subscriptions (
    user_id         BIGINT NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    last_sent_on    TEXT,
    created_at      BIGINT NOT NULL
);
