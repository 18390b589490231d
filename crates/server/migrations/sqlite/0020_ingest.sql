-- The retailer's data in (src/ingest): the keys its systems sign requests with, the signatures
-- already taken (a replay is refused), and on each row that can arrive from its systems the
-- retailer's own id for it. Portable SQL as the others.

-- One key per integration (its name), made, rotated and revoked by admins. `key_id` is what a
-- request names in `X-Portico-Key`; `secret` is the HMAC key both sides hold (verifying an HMAC
-- takes the key itself: a hash of it would sign as well as the key, so it is kept as the
-- partners' identity secrets are). A revoked key signs nothing and frees its name.
CREATE TABLE integration_keys (
    id INTEGER PRIMARY KEY,
    key_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    rotated_at BIGINT,
    revoked_at BIGINT,
    last_used_at BIGINT
);
CREATE UNIQUE INDEX integration_keys_live_name ON integration_keys (name) WHERE revoked_at IS NULL;

-- Every signature taken within the replay window: the same signature again is a replay.
-- Forgotten by the hourly housekeeping once older than any window.
CREATE TABLE ingest_signatures (
    signature TEXT PRIMARY KEY,
    seen_at BIGINT NOT NULL
);
CREATE INDEX ingest_signatures_by_age ON ingest_signatures (seen_at);

-- The retailer's own ids, and the version (its `updated_at`, unix seconds) of what was last
-- taken: an older one changes nothing.
ALTER TABLE customers ADD COLUMN external_id TEXT;
ALTER TABLE customers ADD COLUMN source_version BIGINT;
CREATE UNIQUE INDEX customers_by_external_id ON customers (external_id);
ALTER TABLE orders ADD COLUMN external_id TEXT;
ALTER TABLE orders ADD COLUMN source_version BIGINT;
CREATE UNIQUE INDEX orders_by_external_id ON orders (external_id);
ALTER TABLE shipments ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX shipments_by_external_id ON shipments (external_id);
CREATE INDEX shipments_by_tracking_number ON shipments (tracking_number);
-- A checkpoint's key from its source (the event's id, or a hash of its time, event and
-- location): the same event twice is one row.
ALTER TABLE checkpoints ADD COLUMN source_key TEXT;
CREATE UNIQUE INDEX checkpoints_by_source_key ON checkpoints (shipment_id, source_key);
