-- +goose Up
ALTER TABLE incidents ADD COLUMN grade_set BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE incidents DROP COLUMN grade_set;
