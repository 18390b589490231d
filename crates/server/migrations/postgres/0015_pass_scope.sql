-- A guest pass carries its scope (auth::PassScope): what proved it decides what it opens.
-- 'order': the buyer's email or phone, the whole order (its returns, starting new ones);
-- 'tracking': a gift recipient's phone, the order masked and nothing of its returns;
-- 'return': a return's link, that return (guest_return_id) and its order masked.
ALTER TABLE sessions ADD COLUMN guest_scope TEXT;
ALTER TABLE sessions ADD COLUMN guest_return_id BIGINT REFERENCES returns (id);
-- A pass given before passes had a scope cannot tell who proved it: it keeps tracking only (the
-- buyer looks the order up again for more).
UPDATE sessions SET guest_scope = 'tracking' WHERE guest_order_id IS NOT NULL;
