-- Partners who embed the widget: their public key (in the script tag), the page origins allowed
-- to call the widget's API, what their widget offers and how it looks, and the secret their
-- backend signs visitors' identity tokens with. Portable SQL as the others.
CREATE TABLE partners (
    id INTEGER PRIMARY KEY,
    public_key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    -- Wire names of the features in the order the panel shows them, comma-separated.
    features TEXT NOT NULL,
    accent TEXT NOT NULL,
    default_locale TEXT NOT NULL,
    identity_secret TEXT NOT NULL,
    enabled BOOLEAN NOT NULL DEFAULT TRUE
);

-- `scheme://host[:port]`, lower case, exactly as a browser sends it in `Origin`.
CREATE TABLE partner_origins (
    partner_id INTEGER NOT NULL REFERENCES partners (id),
    origin TEXT NOT NULL,
    PRIMARY KEY (partner_id, origin)
);

-- A message from a partner's widget names the partner; a rating (1-5) when one was given.
ALTER TABLE feedback_messages ADD COLUMN partner_id INTEGER REFERENCES partners (id);
ALTER TABLE feedback_messages ADD COLUMN rating INTEGER;
