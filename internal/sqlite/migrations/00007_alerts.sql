-- +goose Up
-- Alerts: saved filters over published incidents, each with an Atom feed
-- and optionally a signed webhook.
CREATE TABLE alerts (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    country     TEXT NOT NULL DEFAULT '',
    type        TEXT NOT NULL DEFAULT '',
    grade       TEXT NOT NULL DEFAULT '',
    since_date  TEXT NOT NULL DEFAULT '',
    until_date  TEXT NOT NULL DEFAULT '',
    webhook_url TEXT NOT NULL DEFAULT '',
    secret      TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);

-- One webhook delivery per alert and published incident, queued in the
-- transaction that publishes it. Times that decide "due" are Unix
-- nanoseconds, as in jobs.
CREATE TABLE alert_deliveries (
    id           INTEGER PRIMARY KEY,
    alert_id     INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    incident_id  INTEGER NOT NULL REFERENCES incidents (id),
    log_index    INTEGER NOT NULL DEFAULT -1,
    payload      BLOB NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending',
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    next_at      INTEGER NOT NULL DEFAULT 0,
    lease_owner  TEXT NOT NULL DEFAULT '',
    lease_until  INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    delivered_at TEXT NOT NULL DEFAULT '',
    UNIQUE (alert_id, incident_id)
);
CREATE INDEX alert_deliveries_due ON alert_deliveries (status, next_at);

-- +goose Down
DROP TABLE alert_deliveries;
DROP TABLE alerts;
