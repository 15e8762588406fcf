-- Reports read a period's events and finished SLA measurements: by time, not by ticket.
CREATE INDEX ticket_events_recent ON ticket_events (created_at);
CREATE INDEX sla_clocks_stopped ON sla_clocks (stopped_at) WHERE stopped_at IS NOT NULL;
CREATE INDEX tickets_created ON tickets (created_at);
