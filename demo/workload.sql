-- A few seconds of what the Acme Shop application sends.
SELECT pg_stat_statements_reset();

-- The order page: the order, then each item in its own query (an N+1 loop in the ORM).
SELECT * FROM orders WHERE id = 4242;
SELECT format('SELECT product_id, quantity, unit_price FROM order_items WHERE order_id = %s', g)
FROM generate_series(1, 200) g
\gexec

-- The customer lookup by phone number: no index.
SELECT format('SELECT id, email FROM users WHERE phone = %L', '+1555' || lpad(g::text, 7, '0'))
FROM generate_series(1, 150) g
\gexec

-- The admin list pages deep into the results.
SELECT id, status, total FROM orders ORDER BY created_at DESC OFFSET 50000 LIMIT 50;
SELECT id, status, total FROM orders ORDER BY created_at DESC OFFSET 55000 LIMIT 50;

-- "Featured products" and the cart badge.
SELECT * FROM products ORDER BY random() LIMIT 5;
SELECT count(*) FROM order_items WHERE order_id = 17;
