-- Doorstep pickup and drop-off codes, as columns of the return they belong to.
--
-- A booking is a return's `pickup_starts_at` (unix seconds of its slot's start), not a row of a
-- bookings table: a return books at most one slot, cancelling it (or rejecting it) frees the
-- slot by its status alone, and a slot's load is one indexed count over returns. Creating a return
-- counts and writes inside one transaction under `AppState::return_writes`; on PostgreSQL the
-- same count would run under a lock on the slot (e.g. an advisory lock on its start).
ALTER TABLE returns ADD COLUMN pickup_starts_at BIGINT;
-- What the pickup cost, in fen, already taken off `refund_fen`.
ALTER TABLE returns ADD COLUMN pickup_fee_fen BIGINT NOT NULL DEFAULT 0;
-- What a drop-off point scans: the return number and a keyed hash of it.
ALTER TABLE returns ADD COLUMN drop_off_code TEXT;
CREATE INDEX returns_by_pickup_slot ON returns (pickup_starts_at);

-- Keys the server makes once per database and keeps: `drop_off` signs drop-off codes.
CREATE TABLE server_keys (
    name TEXT PRIMARY KEY,
    secret TEXT NOT NULL
);
