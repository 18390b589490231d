-- A sign-in code asked for from a trusted browser (one holding a device cookie for the contact,
-- see `device.rs`) names that device: only that browser may try it, so strangers' guesses
-- neither reach nor spend it. NULL: asked for from anywhere else, tried from anywhere.
ALTER TABLE sign_in_codes ADD COLUMN device TEXT;
