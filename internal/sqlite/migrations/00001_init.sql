-- +goose Up
CREATE TABLE sources (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    url        TEXT NOT NULL DEFAULT '',
    name       TEXT NOT NULL DEFAULT '',
    lang       TEXT NOT NULL DEFAULT '',
    every_ns   INTEGER NOT NULL DEFAULT 0,
    tags       TEXT NOT NULL DEFAULT '[]',
    paused     INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    UNIQUE (kind, url)
);

CREATE TABLE documents (
    id           INTEGER PRIMARY KEY,
    sha256       TEXT NOT NULL UNIQUE,
    source_id    INTEGER REFERENCES sources (id),
    external_id  TEXT NOT NULL DEFAULT '',
    url          TEXT NOT NULL DEFAULT '',
    name         TEXT NOT NULL DEFAULT '',
    fetched_at   TEXT NOT NULL,
    published    TEXT NOT NULL DEFAULT '',
    content_type TEXT NOT NULL DEFAULT '',
    lang         TEXT NOT NULL DEFAULT '',
    title        TEXT NOT NULL DEFAULT '',
    text         TEXT NOT NULL,
    size         INTEGER NOT NULL
);

CREATE TABLE incidents (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL DEFAULT '',
    type         TEXT NOT NULL DEFAULT '',
    date         TEXT NOT NULL DEFAULT '',
    country      TEXT NOT NULL DEFAULT '',
    admin1       TEXT NOT NULL DEFAULT '',
    admin2       TEXT NOT NULL DEFAULT '',
    location     TEXT NOT NULL DEFAULT '',
    lat          REAL,
    lon          REAL,
    killed_min   INTEGER,
    killed_max   INTEGER,
    injured_min  INTEGER,
    injured_max  INTEGER,
    grade        TEXT NOT NULL DEFAULT '',
    grade_reason TEXT NOT NULL DEFAULT '',
    derivation   TEXT NOT NULL DEFAULT '',
    review       TEXT NOT NULL DEFAULT 'new',
    merged_into  INTEGER NOT NULL DEFAULT 0,
    version      INTEGER NOT NULL DEFAULT 1,
    report_count INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX incidents_listing ON incidents (date DESC, id DESC);
CREATE INDEX incidents_country_date ON incidents (country, date);
CREATE INDEX incidents_type ON incidents (type);
CREATE INDEX incidents_review ON incidents (review);

CREATE TABLE reports (
    id                INTEGER PRIMARY KEY,
    document_id       INTEGER NOT NULL REFERENCES documents (id),
    idx               INTEGER NOT NULL,
    incident_id       INTEGER REFERENCES incidents (id),
    type              TEXT NOT NULL DEFAULT '',
    date              TEXT NOT NULL DEFAULT '',
    country           TEXT NOT NULL DEFAULT '',
    admin1            TEXT NOT NULL DEFAULT '',
    admin2            TEXT NOT NULL DEFAULT '',
    location          TEXT NOT NULL DEFAULT '',
    lat               REAL,
    lon               REAL,
    killed_min        INTEGER,
    killed_max        INTEGER,
    injured_min       INTEGER,
    injured_max       INTEGER,
    platform          TEXT NOT NULL DEFAULT '',
    modality          TEXT NOT NULL DEFAULT '',
    actors            TEXT NOT NULL DEFAULT '[]',
    attribution       TEXT NOT NULL DEFAULT '[]',
    evidence          TEXT NOT NULL DEFAULT '{}',
    extractor_version TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    UNIQUE (document_id, idx)
);
CREATE INDEX reports_incident ON reports (incident_id);

CREATE TABLE audit_entries (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    before      TEXT NOT NULL DEFAULT '',
    after       TEXT NOT NULL DEFAULT '',
    at          TEXT NOT NULL
);
CREATE INDEX audit_entries_incident ON audit_entries (incident_id, id);

-- +goose StatementBegin
CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
BEGIN
    SELECT RAISE(ABORT, 'audit entries are append-only');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
BEGIN
    SELECT RAISE(ABORT, 'audit entries are append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE audit_entries;
DROP TABLE reports;
DROP TABLE incidents;
DROP TABLE documents;
DROP TABLE sources;
