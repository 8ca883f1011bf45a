-- Queries the application runs on every page view.

-- Customer lookup by email, case-insensitively.
SELECT * FROM customer WHERE lower(email) = lower($1);

-- Order history, page N.
SELECT id, status, placed_at, total
FROM orders
WHERE customer_id = $1
ORDER BY placed_at DESC
LIMIT 20 OFFSET 2000;

-- Dashboard: orders with their customer's order count.
SELECT o.id,
       (SELECT count(*) FROM orders o2 WHERE o2.customer_id = o.customer_id) AS customer_orders
FROM orders o
WHERE date(o.placed_at) = current_date;

-- Products never ordered.
SELECT id FROM product WHERE id NOT IN (SELECT product_id FROM order_line);

-- Search.
SELECT id, title FROM product WHERE title ILIKE '%' || $1 || '%';

-- Does the customer have any orders?
SELECT (SELECT count(*) FROM orders WHERE customer_id = $1) > 0 AS has_orders;

-- Random featured products.
SELECT id, title FROM product ORDER BY random() LIMIT 5;

-- Report join written the old way.
SELECT c.email, p.amount FROM customer c, orders o, payment p
WHERE o.customer_id = c.id;

-- Housekeeping gone wrong.
DELETE FROM audit_log;
