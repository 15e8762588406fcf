-- Bumped by every change to plans, ticket types, SLA policies and calendars, in the same
-- transaction: processes cache the profile and reload it only when this number moved.
CREATE TABLE profile_version (
    id      BIGINT NOT NULL PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO profile_version (id, version) VALUES (1, 1);
