-- A signed-in customer who, from the ticket form, went to follow a platform incident instead:
-- what the deflection report counts, beside the help articles opened from the same form.
CREATE TABLE status_deflections (
    id              INTEGER PRIMARY KEY,
    user_id         BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    incident_id     BIGINT NOT NULL REFERENCES status_incidents (id) ON DELETE CASCADE,
    at              BIGINT NOT NULL
);
CREATE INDEX status_deflections_user ON status_deflections (user_id, at);
