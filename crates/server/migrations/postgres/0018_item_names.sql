-- An order item's name and variant label in each language: `name` and `variant` are the Chinese
-- (zh-CN) texts, as before, `name_en` and `variant_en` the English ones; a catalogue variant's
-- label likewise. NULL (every row written before this) means the shop gave none: an English
-- reader gets the Chinese text (`portico_api::Localized::get`), as a Chinese reader gets the
-- English one where the Chinese is empty.
ALTER TABLE order_items ADD COLUMN name_en TEXT;
ALTER TABLE order_items ADD COLUMN variant_en TEXT;
ALTER TABLE variants ADD COLUMN variant_en TEXT;
