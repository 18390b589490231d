-- Loyalty: the tiers (a deployment's own: this migration writes the default set, which a
-- deployment may change in these tables), what each brings, and every customer's tier history.

-- `rank` orders the tiers from 0 (the tier everyone starts in, reached and kept with 0).
-- `reach_fen`: qualifying spend over the last 12 months that reaches the tier at once;
-- `keep_fen`: what keeps it when the tier's year is up (see `customers.tier_evaluated_at`).
CREATE TABLE tiers (
    code TEXT PRIMARY KEY,
    rank INTEGER NOT NULL UNIQUE,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    reach_fen BIGINT NOT NULL,
    keep_fen BIGINT NOT NULL
);

-- One row per benefit of a tier, in the order to show them. `kind` is the contract's benefit kind;
-- `amount` its parameter where it has one (days for return_window, fen for birthday_gift, months
-- for extended_warranty).
CREATE TABLE tier_benefits (
    tier TEXT NOT NULL REFERENCES tiers (code),
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    amount BIGINT,
    PRIMARY KEY (tier, position)
);

-- Every change of a customer's tier (`joined`, `upgraded`, `downgraded`), at the moment it took
-- effect. `customers.tier` is the newest row's tier.
CREATE TABLE tier_history (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    tier TEXT NOT NULL REFERENCES tiers (code),
    kind TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX tier_history_by_customer ON tier_history (customer_id, at);

-- When the customer's current tier year began (joined, upgraded, or last evaluated): a year later
-- the spend then decides whether the tier is kept.
ALTER TABLE customers ADD COLUMN tier_evaluated_at BIGINT NOT NULL DEFAULT 0;

INSERT INTO tiers (code, rank, name_zh, name_en, reach_fen, keep_fen) VALUES
    ('regular', 0, '普通会员', 'Member', 0, 0),
    ('silver', 1, '银卡会员', 'Silver', 200000, 150000),
    ('gold', 2, '金卡会员', 'Gold', 800000, 600000),
    ('diamond', 3, '钻石会员', 'Diamond', 2000000, 1500000);

INSERT INTO tier_benefits (tier, position, kind, amount) VALUES
    ('regular', 0, 'return_window', 30),
    ('silver', 0, 'return_window', 30),
    ('silver', 1, 'birthday_gift', 2000),
    ('gold', 0, 'return_window', 45),
    ('gold', 1, 'free_pickup', NULL),
    ('gold', 2, 'birthday_gift', 5000),
    ('gold', 3, 'priority_line', NULL),
    ('diamond', 0, 'return_window', 60),
    ('diamond', 1, 'free_pickup', NULL),
    ('diamond', 2, 'birthday_gift', 10000),
    ('diamond', 3, 'priority_line', NULL),
    ('diamond', 4, 'dedicated_advisor', NULL),
    ('diamond', 5, 'extended_warranty', 12);
