-- What every instance of the service shares when several run on one database: rate-limit
-- windows (a limit holds however requests are spread), background work claimed once, and the
-- notices waiting to be delivered (a notice outlives the instance that queued it).

-- Hits of one rule (`rate_limit::Rule::name`) by one subject (an address, a contact, an order
-- number, or an address and a target) in the window that started at `started_at`.
CREATE TABLE rate_windows (
    rule TEXT NOT NULL,
    subject TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    hits BIGINT NOT NULL,
    PRIMARY KEY (rule, subject)
);
CREATE INDEX rate_windows_by_start ON rate_windows (started_at);

-- One run of a periodic job per period (`slot`: the period's number since the epoch), written
-- in the transaction that does the work: an instance that dies mid-run leaves no row, and the
-- next instance to look does the run; a second instance finds the row and does nothing.
CREATE TABLE job_runs (
    job TEXT NOT NULL,
    slot BIGINT NOT NULL,
    instance TEXT NOT NULL,
    ran_at BIGINT NOT NULL,
    PRIMARY KEY (job, slot)
);

-- Messages waiting to be delivered (`notify::Notice` as JSON), oldest first; a row leaves in the
-- transaction that delivers it. `attempts` counts failed deliveries (five, and it is dropped).
CREATE TABLE notices (
    id INTEGER PRIMARY KEY,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL
);
