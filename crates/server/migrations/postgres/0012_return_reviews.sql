-- The review of a return that waited for one (a refund over 500 CNY): which staff member decided,
-- when, what (`approve`, `reject`) and why, in words the customer reads. One row per return: the
-- key is the second guard, after the status move, that a return is decided once.
CREATE TABLE return_reviews (
    return_id BIGINT PRIMARY KEY REFERENCES returns (id),
    decision TEXT NOT NULL,
    reason TEXT,
    staff_id BIGINT NOT NULL REFERENCES staff (id),
    decided_at BIGINT NOT NULL
);

-- The review queue reads the returns in one status, oldest first.
CREATE INDEX returns_by_status ON returns (status, created_at);
