-- Returns: one row per return, one per order line it takes back. Quantities per line are summed
-- over returns by status (under way, goods back) to say what can still be returned.

CREATE TABLE returns (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    order_id INTEGER NOT NULL REFERENCES orders (id),
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    resolution TEXT NOT NULL,
    handover TEXT NOT NULL,
    refund_fen BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX returns_by_order ON returns (order_id);

CREATE TABLE return_items (
    id INTEGER PRIMARY KEY,
    return_id INTEGER NOT NULL REFERENCES returns (id),
    order_item_id INTEGER NOT NULL REFERENCES order_items (id),
    quantity INTEGER NOT NULL
);
CREATE INDEX return_items_by_return ON return_items (return_id);

-- A write that must happen once: the key a client sent, per caller, with a hash of what it asked.
CREATE TABLE idempotency_keys (
    scope TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    return_id INTEGER NOT NULL REFERENCES returns (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (scope, idempotency_key)
);
