-- The benefit-page editor (src/content/editor.rs): each page's working draft, and who a
-- published version is for, who published it and what it restored.

-- Who a page is for belongs to each version: a version scheduled for one tier changes the
-- audience when it goes live, not before.
ALTER TABLE page_versions ADD COLUMN audience TEXT;
UPDATE page_versions SET audience = (SELECT audience FROM pages WHERE pages.id = page_versions.page_id);
ALTER TABLE pages DROP COLUMN audience;

-- The staff member who published it (none for the demo's own pages), and the version it
-- restored. A published version without page_content rows took the page down (unpublished).
ALTER TABLE page_versions ADD COLUMN published_by BIGINT REFERENCES staff (id);
ALTER TABLE page_versions ADD COLUMN restored_from BIGINT;

-- One working draft per page, saved as an editor types: `revision` counts its saves, and a save
-- names the revision it started from (an older one is refused). `copies` is JSON, each language's
-- title and blocks as typed (checked when submitted or published, not when saved: nothing typed
-- is lost). `published_revision` is the revision last published (or restored), to tell whether
-- the draft changed since.
CREATE TABLE page_drafts (
    page_id BIGINT PRIMARY KEY REFERENCES pages (id),
    revision BIGINT NOT NULL,
    audience TEXT,
    copies TEXT NOT NULL,
    review TEXT NOT NULL CHECK (review IN ('editing', 'submitted', 'returned')),
    comment TEXT,
    published_revision BIGINT,
    updated_by BIGINT REFERENCES staff (id),
    updated_at BIGINT NOT NULL
);

-- The editor reads a page's last entry to tell a new edit from one still being typed.
CREATE INDEX audit_log_by_target ON audit_log (target, id);
