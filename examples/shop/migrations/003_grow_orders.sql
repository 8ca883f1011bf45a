-- The shop is live: these tables hold millions of rows by now.
CREATE INDEX orders_status_idx ON orders (status);
ALTER TABLE orders ADD COLUMN channel text NOT NULL DEFAULT 'web';
ALTER TABLE orders ADD COLUMN tracking_id uuid DEFAULT gen_random_uuid();
ALTER TABLE orders ALTER COLUMN id TYPE bigint;
ALTER TABLE order_line ADD CONSTRAINT order_line_product_fk2 FOREIGN KEY (product_id) REFERENCES product (id);
ALTER TABLE customer ALTER COLUMN date_of_birth SET NOT NULL;
ALTER TABLE product RENAME COLUMN title TO name;
ALTER TABLE customer DROP COLUMN full_name;
DROP INDEX product_sku_idx;
