-- Exchanges: the catalogue's variants with their stock, and the variant each returned line asks
-- for in exchange.
--
-- A variant is one sellable sku of a product (size, colour). The product of an order item is
-- known from its sku: order items carry the sku of the variant sold (`order_items.sku` is a
-- `variants.sku`), and that variant names its product, so the other variants of the same product
-- are `variants` rows with the same `product` and another sku. An item whose sku is not in the
-- catalogue has nothing to exchange for. The variants of a product sell at one price (an
-- exchange refunds nothing and charges nothing).
--
-- `variant` is the label as order items carry it (one text, as the shop names it).
CREATE TABLE variants (
    sku TEXT PRIMARY KEY,
    product TEXT NOT NULL,
    variant TEXT NOT NULL,
    stock BIGINT NOT NULL CHECK (stock >= 0)
);
CREATE INDEX variants_by_product ON variants (product);

-- With resolution `exchange`: the variant wanted instead of this line. One unit of its stock is
-- taken per unit returned when the return starts (`stock = stock - ? WHERE stock >= ?`, in the
-- transaction that writes the return) and given back when the return is cancelled or rejected,
-- in the transaction that moves its status, so exactly once.
ALTER TABLE return_items ADD COLUMN exchange_sku TEXT REFERENCES variants (sku);
