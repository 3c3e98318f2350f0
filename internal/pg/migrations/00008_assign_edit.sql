-- The reviewer an incident is assigned to (empty: nobody) and the fields
-- analysts set by hand: a JSON object of field name to {value, actor,
-- reason, at}, empty when there are none. Listings of one reviewer's
-- incidents read the partial index in listing order.
-- +goose Up
ALTER TABLE incidents ADD COLUMN assignee TEXT NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN overrides TEXT NOT NULL DEFAULT '';
CREATE INDEX incidents_assignee_listing ON incidents (assignee, date DESC, id DESC) WHERE assignee <> '';

-- +goose Down
DROP INDEX incidents_assignee_listing;
ALTER TABLE incidents DROP COLUMN overrides;
ALTER TABLE incidents DROP COLUMN assignee;
