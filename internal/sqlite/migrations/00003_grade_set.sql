-- +goose Up
ALTER TABLE incidents ADD COLUMN grade_set INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE incidents DROP COLUMN grade_set;
