-- Flags declared INTEGER (0 or 1) rather than BOOLEAN: the same values as before, but a column
-- type the engine-neutral driver reads (it refuses SQLite's BOOLEAN declaration). PostgreSQL
-- keeps real BOOLEAN columns; the queries compare flags with TRUE and FALSE, which both read.
-- Each column is added under a new name, copied, and takes the old name once the old is gone.

ALTER TABLE order_items ADD COLUMN final_sale_flag INTEGER NOT NULL DEFAULT 0;
UPDATE order_items SET final_sale_flag = final_sale;
ALTER TABLE order_items DROP COLUMN final_sale;
ALTER TABLE order_items RENAME COLUMN final_sale_flag TO final_sale;

ALTER TABLE sign_in_codes ADD COLUMN used_flag INTEGER NOT NULL DEFAULT 0;
UPDATE sign_in_codes SET used_flag = used;
ALTER TABLE sign_in_codes DROP COLUMN used;
ALTER TABLE sign_in_codes RENAME COLUMN used_flag TO used;

ALTER TABLE customers ADD COLUMN surveys_opt_out_flag INTEGER NOT NULL DEFAULT 0;
UPDATE customers SET surveys_opt_out_flag = surveys_opt_out;
ALTER TABLE customers DROP COLUMN surveys_opt_out;
ALTER TABLE customers RENAME COLUMN surveys_opt_out_flag TO surveys_opt_out;

ALTER TABLE partners ADD COLUMN enabled_flag INTEGER NOT NULL DEFAULT 1;
UPDATE partners SET enabled_flag = enabled;
ALTER TABLE partners DROP COLUMN enabled;
ALTER TABLE partners RENAME COLUMN enabled_flag TO enabled;

ALTER TABLE staff ADD COLUMN enabled_flag INTEGER NOT NULL DEFAULT 1;
UPDATE staff SET enabled_flag = enabled;
ALTER TABLE staff DROP COLUMN enabled;
ALTER TABLE staff RENAME COLUMN enabled_flag TO enabled;
