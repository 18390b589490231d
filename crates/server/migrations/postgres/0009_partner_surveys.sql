-- A partner may run a survey of its own on its pages (the built-in survey of a touchpoint, by
-- its id), answered by visitors nobody knows: such a response names the partner, and neither an
-- invitation nor a customer.
ALTER TABLE partners ADD COLUMN active_survey TEXT;
ALTER TABLE survey_responses ADD COLUMN partner_id BIGINT REFERENCES partners (id);
