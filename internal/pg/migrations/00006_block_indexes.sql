-- The attach step reads the incidents of one cluster block per query:
-- by place (country, first-level unit, date window) or, for strikes at sea
-- named after any coast, by type and date window.
-- +goose Up
CREATE INDEX incidents_block_place ON incidents (country, admin1, date);
CREATE INDEX incidents_block_type ON incidents (type, date);
DROP INDEX incidents_type;

-- +goose Down
CREATE INDEX incidents_type ON incidents (type);
DROP INDEX incidents_block_type;
DROP INDEX incidents_block_place;
