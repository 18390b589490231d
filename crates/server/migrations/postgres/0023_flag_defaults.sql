-- Two flags SQLite's 0013 re-made with DEFAULT 0 (a NOT NULL column added needs one) had none
-- here: the same defaults on both engines (the service writes both flags on every insert).
ALTER TABLE order_items ALTER COLUMN final_sale SET DEFAULT FALSE;
ALTER TABLE sign_in_codes ALTER COLUMN used SET DEFAULT FALSE;
