-- Portico reference schema. Portable SQL: integer unix seconds for instants, TEXT ISO dates,
-- BOOLEAN flags, no engine-specific functions, so PostgreSQL can follow.

CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    phone TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    tier TEXT NOT NULL
);

CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    placed_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    payment_state TEXT NOT NULL,
    subtotal_fen BIGINT NOT NULL,
    shipping_fen BIGINT NOT NULL,
    discount_fen BIGINT NOT NULL,
    total_fen BIGINT NOT NULL,
    contact_email TEXT NOT NULL,
    recipient TEXT NOT NULL,
    recipient_phone TEXT NOT NULL,
    province TEXT NOT NULL,
    city TEXT NOT NULL,
    district TEXT NOT NULL,
    street TEXT NOT NULL
);
CREATE INDEX orders_by_customer ON orders (customer_id, placed_at);

CREATE TABLE shipments (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id),
    position INTEGER NOT NULL,
    carrier TEXT NOT NULL,
    tracking_number TEXT NOT NULL,
    status TEXT NOT NULL,
    estimated_delivery TEXT,
    first_estimate TEXT,
    delivered_at BIGINT,
    -- Facilities still ahead of a moving parcel ('|'-separated), for the demo's advancing clock.
    route TEXT NOT NULL,
    route_step INTEGER NOT NULL
);
CREATE INDEX shipments_by_order ON shipments (order_id);

CREATE TABLE order_items (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id),
    position INTEGER NOT NULL,
    shipment_position INTEGER,
    sku TEXT NOT NULL,
    name TEXT NOT NULL,
    variant TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    unit_price_fen BIGINT NOT NULL,
    final_sale BOOLEAN NOT NULL
);
CREATE INDEX order_items_by_order ON order_items (order_id);

CREATE TABLE checkpoints (
    id INTEGER PRIMARY KEY,
    shipment_id INTEGER NOT NULL REFERENCES shipments (id),
    at BIGINT NOT NULL,
    event TEXT NOT NULL,
    location TEXT NOT NULL
);
CREATE INDEX checkpoints_by_shipment ON checkpoints (shipment_id, at);

CREATE TABLE sign_in_codes (
    id INTEGER PRIMARY KEY,
    contact TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL,
    used BOOLEAN NOT NULL
);
CREATE INDEX sign_in_codes_by_contact ON sign_in_codes (contact);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    customer_id INTEGER REFERENCES customers (id),
    guest_order_id INTEGER REFERENCES orders (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
