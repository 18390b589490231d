-- An order item's name in each language: `name` is its Chinese (zh-CN) name, as before, and
-- `name_en` its English one. NULL (every row written before this) means the shop gave none: an
-- English reader gets the Chinese name (`portico_api::Localized::get`), as a Chinese reader gets
-- the English one when `name` is empty.
ALTER TABLE order_items ADD COLUMN name_en TEXT;
