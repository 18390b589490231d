-- Delivery (notify/): a notice is claimed with a lease (`claimed_until`), sent outside any write
-- transaction, then marked `sent`; a failure is tried again at `next_attempt_at`, until the retry
-- time is over: then it is `failed`, kept for admins (who may send it again). `recipient` is where
-- it went (or was meant to go), `last_error` why it did not; `ticket` is the random id a sign-in
-- page asks about (whether its code went out). Notices with one `subject` (a return's messages)
-- go out in the order they were queued: one waits while an older one of its subject waits.
ALTER TABLE notices ADD COLUMN status TEXT NOT NULL DEFAULT 'waiting';
ALTER TABLE notices ADD COLUMN claimed_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE notices ADD COLUMN next_attempt_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE notices ADD COLUMN finished_at BIGINT;
ALTER TABLE notices ADD COLUMN recipient TEXT;
ALTER TABLE notices ADD COLUMN last_error TEXT;
ALTER TABLE notices ADD COLUMN ticket TEXT;
ALTER TABLE notices ADD COLUMN subject TEXT;
CREATE UNIQUE INDEX notices_ticket ON notices (ticket);
CREATE INDEX notices_due ON notices (status, next_attempt_at);
CREATE INDEX notices_subject ON notices (subject, id);
