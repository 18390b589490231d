-- Surveys after a service, the feedback button, and the support tickets a survey can follow.
-- Portable SQL as the others: integer unix seconds, TEXT values, BOOLEAN flags.

-- A customer who asked for no more survey invitations.
ALTER TABLE customers ADD COLUMN surveys_opt_out BOOLEAN NOT NULL DEFAULT FALSE;

-- Support tickets (the support desk's; here only what a survey names): `T` + 8 digits.
CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    subject TEXT NOT NULL,
    opened_at BIGINT NOT NULL,
    solved_at BIGINT
);
CREATE INDEX tickets_by_customer ON tickets (customer_id, solved_at);

-- An invitation sent after a service: its link's token names the row and its expiry.
-- `reference` is the order, return or ticket number; `served_at` when the service happened.
CREATE TABLE survey_invitations (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    touchpoint TEXT NOT NULL,
    reference TEXT NOT NULL,
    served_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX survey_invitations_by_customer ON survey_invitations (customer_id, created_at);

-- One response per invitation (a seeded response may have none, nor a customer), under the id
-- the client made: both unique, so concurrent first saves make one row. `status` is where the
-- team is with it (received, reviewed, action_taken), `action` what they did.
CREATE TABLE survey_responses (
    id INTEGER PRIMARY KEY,
    response_id TEXT NOT NULL UNIQUE,
    invitation_id INTEGER UNIQUE REFERENCES survey_invitations (id),
    survey TEXT NOT NULL,
    touchpoint TEXT NOT NULL,
    customer_id INTEGER REFERENCES customers (id),
    started_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    finished_at BIGINT,
    status TEXT NOT NULL,
    action TEXT
);
CREATE INDEX survey_responses_by_customer ON survey_responses (customer_id, started_at);
CREATE INDEX survey_responses_by_finish ON survey_responses (finished_at);

-- The answer to one question (the contract's AnswerValue as JSON), replaced when answered again.
CREATE TABLE survey_answers (
    response_id INTEGER NOT NULL REFERENCES survey_responses (id),
    question TEXT NOT NULL,
    value TEXT NOT NULL,
    answered_at BIGINT NOT NULL,
    PRIMARY KEY (response_id, question)
);

-- A detractor's response gets one follow-up case, due 48 hours after it was opened.
CREATE TABLE follow_ups (
    id INTEGER PRIMARY KEY,
    response_id INTEGER NOT NULL UNIQUE REFERENCES survey_responses (id),
    opened_at BIGINT NOT NULL,
    due_at BIGINT NOT NULL,
    status TEXT NOT NULL
);
CREATE INDEX follow_ups_by_due ON follow_ups (status, due_at);

-- Messages from the feedback button, under the id the client made (`fingerprint`: a hash of
-- what was sent and by whom, so a replay is told from a reuse).
CREATE TABLE feedback_messages (
    id INTEGER PRIMARY KEY,
    client_id TEXT NOT NULL UNIQUE,
    fingerprint TEXT NOT NULL,
    customer_id INTEGER REFERENCES customers (id),
    category TEXT NOT NULL,
    text TEXT NOT NULL,
    order_id INTEGER REFERENCES orders (id),
    created_at BIGINT NOT NULL,
    status TEXT NOT NULL,
    action TEXT
);
CREATE INDEX feedback_messages_by_customer ON feedback_messages (customer_id, created_at);
