-- The attach step reads the incidents of one cluster block per query:
-- by place (country and date window, the first-level unit checked in the
-- index) or, for strikes at sea named after any coast, by type and date
-- window. (country, date, admin1) also serves listings by country and
-- date, so it replaces (country, date); it is used whatever the planner
-- knows of the data, where (country, admin1, date) lost to (country, date)
-- in SQLite without statistics.
-- +goose Up
CREATE INDEX incidents_place_date ON incidents (country, date, admin1);
DROP INDEX incidents_country_date;
CREATE INDEX incidents_type_date ON incidents (type, date);
DROP INDEX incidents_type;
-- Listings by review state (the API's and the review queue's) in listing
-- order, read without sorting every incident in that state.
CREATE INDEX incidents_review_listing ON incidents (review, date DESC, id DESC);
DROP INDEX incidents_review;

-- +goose Down
CREATE INDEX incidents_review ON incidents (review);
DROP INDEX incidents_review_listing;
CREATE INDEX incidents_type ON incidents (type);
DROP INDEX incidents_type_date;
CREATE INDEX incidents_country_date ON incidents (country, date);
DROP INDEX incidents_place_date;
