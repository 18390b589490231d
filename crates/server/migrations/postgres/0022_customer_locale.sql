-- The language a customer reads (the portal's when they signed in, or the retailer's record):
-- their messages are written in it alone; NULL (not known) writes them in both.
ALTER TABLE customers ADD COLUMN locale TEXT CHECK (locale IN ('zh-CN', 'en'));
