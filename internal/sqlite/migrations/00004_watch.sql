-- +goose Up
ALTER TABLE sources ADD COLUMN removed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN capture_sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE checkpoints ADD COLUMN timestamp BLOB;

CREATE TABLE source_states (
    source_id       INTEGER PRIMARY KEY REFERENCES sources (id),
    etag            TEXT NOT NULL DEFAULT '',
    last_modified   TEXT NOT NULL DEFAULT '',
    last_fetch_at   TEXT NOT NULL DEFAULT '',
    last_success_at TEXT NOT NULL DEFAULT '',
    last_error      TEXT NOT NULL DEFAULT '',
    failures        INTEGER NOT NULL DEFAULT 0,
    items           INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE source_items (
    source_id   INTEGER NOT NULL REFERENCES sources (id),
    key         TEXT NOT NULL,
    url         TEXT NOT NULL DEFAULT '',
    document_id INTEGER REFERENCES documents (id),
    seen_at     TEXT NOT NULL,
    PRIMARY KEY (source_id, key)
);

-- Times in jobs are Unix nanoseconds so that "due" is an integer comparison.
CREATE TABLE jobs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    key         TEXT NOT NULL UNIQUE,
    payload     BLOB,
    run_at      INTEGER NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT NOT NULL DEFAULT '',
    lease_until INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX jobs_due ON jobs (run_at);

-- +goose Down
DROP TABLE jobs;
DROP TABLE source_items;
DROP TABLE source_states;
ALTER TABLE checkpoints DROP COLUMN timestamp;
ALTER TABLE documents DROP COLUMN capture_sha256;
ALTER TABLE sources DROP COLUMN removed;
