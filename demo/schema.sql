-- Acme Shop: the sample application of `steward demo`.
-- A small multi-tenant shop written the way many real ones are; examples/demo/README.md lists
-- what is wrong with it.

CREATE EXTENSION IF NOT EXISTS pg_stat_statements;

CREATE TABLE accounts (
    id          serial PRIMARY KEY,
    name        text NOT NULL,
    plan        text NOT NULL DEFAULT 'free',
    created_at  timestamp NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id          serial PRIMARY KEY,
    account_id  integer NOT NULL REFERENCES accounts (id),
    email       text NOT NULL,
    phone       text,
    birth_date  date,
    password    text NOT NULL,
    api_token   text,
    created_at  timestamp NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE products (
    id          serial PRIMARY KEY,
    account_id  integer NOT NULL REFERENCES accounts (id),
    sku         text NOT NULL,
    title       text NOT NULL,
    price       real NOT NULL,
    stock       integer NOT NULL DEFAULT 0
);
-- Added during a performance scare; nobody remembers which query it was for.
CREATE INDEX products_title_idx ON products (title);
CREATE INDEX products_account_idx ON products (account_id);
CREATE INDEX products_account_sku_idx ON products (account_id, sku);

CREATE TABLE orders (
    id          serial PRIMARY KEY,
    account_id  integer NOT NULL REFERENCES accounts (id),
    user_id     integer NOT NULL REFERENCES users (id),
    status      text NOT NULL DEFAULT 'new',
    total       numeric(12, 2) NOT NULL DEFAULT 0,
    created_at  timestamp NOT NULL DEFAULT now()
);
CREATE INDEX orders_account_idx ON orders (account_id);

CREATE TABLE order_items (
    order_id    integer NOT NULL REFERENCES orders (id),
    product_id  integer NOT NULL REFERENCES products (id),
    quantity    integer NOT NULL,
    unit_price  numeric(12, 2) NOT NULL
);

-- Sessions are rewritten on every request, so autovacuum was turned off "to save I/O".
CREATE TABLE web_sessions (
    id          bigserial PRIMARY KEY,
    user_id     integer NOT NULL REFERENCES users (id),
    last_seen   timestamptz NOT NULL DEFAULT now(),
    hits        integer NOT NULL DEFAULT 0
) WITH (autovacuum_enabled = false);

CREATE TABLE invoices (
    id          serial PRIMARY KEY,
    account_id  integer NOT NULL REFERENCES accounts (id),
    order_id    integer REFERENCES orders (id),
    amount      numeric(12, 2) NOT NULL,
    issued_at   timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
CREATE POLICY invoices_tenant ON invoices
    USING (account_id = current_setting('app.account_id', true)::integer);
CREATE VIEW invoice_report AS
    SELECT i.id, i.account_id, i.amount, i.issued_at FROM invoices i;

CREATE TABLE support_notes (
    id          serial PRIMARY KEY,
    account_id  integer NOT NULL REFERENCES accounts (id),
    body        text NOT NULL
);
ALTER TABLE support_notes ENABLE ROW LEVEL SECURITY;

GRANT SELECT ON products TO PUBLIC;

CREATE FUNCTION reset_api_token(p_user integer) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    token text := md5(random()::text);
BEGIN
    UPDATE users SET api_token = token WHERE id = p_user;
    RETURN token;
END;
$$;

-- Data: deterministic, a few seconds to load.
SELECT setseed(0.42);
INSERT INTO accounts (name, plan, created_at)
SELECT 'account ' || g, CASE WHEN g % 10 = 0 THEN 'pro' ELSE 'free' END,
       timestamp '2024-01-01' + g * interval '1 hour'
FROM generate_series(1, 200) g;
INSERT INTO users (account_id, email, phone, birth_date, password, api_token, created_at)
SELECT 1 + g % 200, 'user' || g || '@example.com', '+1555' || lpad(g::text, 7, '0'),
       date '1970-01-01' + (g * 37) % 15000, 'changeme' || g, md5(g::text),
       timestamp '2024-02-01' + g * interval '5 minutes'
FROM generate_series(1, 20000) g;
INSERT INTO products (account_id, sku, title, price, stock)
SELECT 1 + g % 200, 'SKU-' || g, 'Product ' || g, (g % 500) + 0.99, g % 50
FROM generate_series(1, 5000) g;
INSERT INTO orders (account_id, user_id, status, total, created_at)
SELECT 1 + g % 200, 1 + g % 20000, CASE WHEN g % 7 = 0 THEN 'shipped' ELSE 'new' END,
       (g % 300) + 9.5, timestamp '2024-03-01' + g * interval '1 minute'
FROM generate_series(1, 60000) g;
INSERT INTO order_items (order_id, product_id, quantity, unit_price)
SELECT 1 + g % 60000, 1 + (g * 7) % 5000, 1 + g % 3, (g % 100) + 0.5
FROM generate_series(1, 120000) g;
INSERT INTO web_sessions (user_id, hits)
SELECT 1 + g % 20000, 0 FROM generate_series(1, 20000) g;
UPDATE web_sessions SET hits = hits + 1, last_seen = now();
UPDATE web_sessions SET hits = hits + 1, last_seen = now();
INSERT INTO invoices (account_id, order_id, amount)
SELECT 1 + g % 200, g, (g % 300) + 9.5 FROM generate_series(1, 10000) g;
INSERT INTO support_notes (account_id, body)
SELECT 1 + g % 200, 'note ' || g FROM generate_series(1, 1000) g;

-- The accounts id sequence, as it stands after years of test tenants being created and purged.
SELECT setval('accounts_id_seq', 2000000000);

ANALYZE;
