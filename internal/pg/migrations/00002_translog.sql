-- +goose Up
CREATE TABLE log_entries (
    idx        BIGINT PRIMARY KEY,
    kind       TEXT NOT NULL,
    subject    TEXT NOT NULL DEFAULT '',
    salt       BYTEA,
    content    BYTEA,
    commitment BYTEA NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX log_entries_subject ON log_entries (subject, idx);

CREATE TABLE log_hashes (
    idx  BIGINT PRIMARY KEY,
    hash BYTEA NOT NULL
);

CREATE TABLE checkpoints (
    size       BIGINT PRIMARY KEY,
    root       BYTEA NOT NULL,
    note       BYTEA NOT NULL,
    created_at TEXT NOT NULL
);

-- +goose Down
DROP TABLE checkpoints;
DROP TABLE log_hashes;
DROP TABLE log_entries;
