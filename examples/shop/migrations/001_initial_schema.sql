-- Initial schema of the shop. Tables created here are new and empty, so plain
-- CREATE INDEX and constraints are fine in this file.
CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE TABLE customer (
    id            bigserial PRIMARY KEY,
    email         text NOT NULL UNIQUE,
    full_name     text NOT NULL,
    password      varchar(100) NOT NULL,
    date_of_birth date,
    marketing_opt_in boolean NOT NULL DEFAULT true,
    created_at    timestamp NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE product (
    id          bigserial PRIMARY KEY,
    sku         text NOT NULL,
    title       text NOT NULL,
    price       double precision NOT NULL,
    stock       integer NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX product_sku_key ON product (sku);
CREATE INDEX product_sku_idx ON product (sku);

CREATE TABLE orders (
    id          serial PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customer (id),
    status      text NOT NULL DEFAULT 'new',
    placed_at   timestamptz NOT NULL DEFAULT now(),
    total       numeric(12, 2) NOT NULL
);

CREATE TABLE order_line (
    order_id    integer NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id  bigint NOT NULL REFERENCES product (id),
    quantity    integer NOT NULL CHECK (quantity > 0),
    unit_price  numeric(12, 2) NOT NULL,
    PRIMARY KEY (order_id, product_id)
);

CREATE TABLE payment (
    id           bigserial PRIMARY KEY,
    order_id     integer NOT NULL REFERENCES orders (id),
    card_number  varchar(19) NOT NULL,
    amount       numeric(12, 2) NOT NULL,
    paid_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audit_log (
    id         bigserial PRIMARY KEY,
    table_name text NOT NULL,
    row_data   jsonb NOT NULL,
    logged_at  timestamptz NOT NULL DEFAULT now()
);
