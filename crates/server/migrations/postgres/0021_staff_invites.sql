-- A one-time link to set a staff account's password (`portico-server staff add` / `staff link`),
-- by the hash of its token: it works once (`used_at`), until `expires_at` (24 hours).
CREATE TABLE staff_invites (
    token_hash TEXT PRIMARY KEY,
    staff_id BIGINT NOT NULL REFERENCES staff (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX staff_invites_staff ON staff_invites (staff_id);
