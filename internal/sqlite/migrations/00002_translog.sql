-- +goose Up
CREATE TABLE log_entries (
    idx        INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    subject    TEXT NOT NULL DEFAULT '',
    salt       BLOB,
    content    BLOB,
    commitment BLOB NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX log_entries_subject ON log_entries (subject, idx);

CREATE TABLE log_hashes (
    idx  INTEGER PRIMARY KEY,
    hash BLOB NOT NULL
);

CREATE TABLE checkpoints (
    size       INTEGER PRIMARY KEY,
    root       BLOB NOT NULL,
    note       BLOB NOT NULL,
    created_at TEXT NOT NULL
);

-- +goose Down
DROP TABLE checkpoints;
DROP TABLE log_hashes;
DROP TABLE log_entries;
