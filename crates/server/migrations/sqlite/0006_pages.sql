-- Benefit pages (see src/content): a page is a slug and who it is for; what it says lives in its
-- versions, one row per language each. (0005 is the loyalty module's: tiers and tier_benefits.)

-- One page per slug, for everyone (audience NULL) or for the members of one tier (audience is
-- the tier's code, as in customers.tier and tiers.code).
CREATE TABLE pages (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    audience TEXT,
    created_at BIGINT NOT NULL
);

-- Every version ever saved, numbered from 1 per page. A draft has no publish time; a published
-- version goes live at publish_at (unix seconds, perhaps later than when it was saved), and the
-- newest live one is what customers read.
CREATE TABLE page_versions (
    id INTEGER PRIMARY KEY,
    page_id INTEGER NOT NULL REFERENCES pages (id),
    version INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('draft', 'published')),
    publish_at BIGINT,
    created_at BIGINT NOT NULL,
    UNIQUE (page_id, version),
    CHECK ((state = 'draft') = (publish_at IS NULL))
);
CREATE INDEX page_versions_live ON page_versions (page_id, state, publish_at);

-- A version in one language (locale 'zh-CN' or 'en'): its title, and its blocks as the editor
-- wrote them, as JSON text (rich text as Markdown source; a tier comparison without data). They
-- are checked when saved and parsed again when read; one that no longer parses is never shown.
CREATE TABLE page_content (
    version_id INTEGER NOT NULL REFERENCES page_versions (id),
    locale TEXT NOT NULL,
    title TEXT NOT NULL,
    blocks TEXT NOT NULL,
    PRIMARY KEY (version_id, locale)
);
