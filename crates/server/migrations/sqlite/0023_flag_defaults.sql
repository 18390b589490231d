-- PostgreSQL's twin gives order_items.final_sale and sign_in_codes.used the DEFAULT 0 (FALSE)
-- they have here since 0013. Nothing to change.
SELECT 1;
