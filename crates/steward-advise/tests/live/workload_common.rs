//! What the workload tests share: a shop schema with foreign keys and a real application
//! workload run through the extended protocol (as drivers do) and the simple protocol (as psql
//! does, with literals).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use steward_testkit::{Cluster, Database};

/// The process-wide cluster (pg_stat_statements preloaded); under CI a missing PostgreSQL is
/// a failure, never a skip.
pub fn cluster() -> &'static Cluster {
    Cluster::shared().unwrap_or_else(|e| panic!("cannot start PostgreSQL: {e}"))
}

/// Parent rounds of the N+1 loop, orders per customer, items per order.
pub const ROUNDS: usize = 10;
pub const ORDERS_PER_CUSTOMER: usize = 20;
pub const ITEMS_PER_ORDER: usize = 3;
/// Executions of the slow unindexed filter and of the paginated list.
pub const SLOW_FILTER_RUNS: usize = 15;
pub const PAGES: usize = 30;

pub const PARENT: &str = "SELECT id, status, total FROM orders WHERE customer_id = $1";
pub const CHILD: &str = "SELECT product, qty FROM order_item WHERE order_id = $1";
pub const PAGE: &str = "SELECT * FROM orders ORDER BY id LIMIT $1 OFFSET $2";

/// Customers 1..1000, 20 orders each, 3 items per order; `order_item.product` unindexed.
pub fn shop(db: &Database) {
    db.exec(
        "CREATE TABLE customer (id bigint PRIMARY KEY, name text NOT NULL, email text NOT NULL);
         CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customer (id),
                              status text NOT NULL, total numeric(10,2) NOT NULL, note text);
         CREATE TABLE order_item (id bigint PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders (id),
                                  product text NOT NULL, qty int NOT NULL);
         CREATE INDEX orders_customer_id_idx ON orders (customer_id);
         CREATE INDEX order_item_order_id_idx ON order_item (order_id);
         INSERT INTO customer SELECT g, 'name ' || g, 'user' || g || '@example.com' FROM generate_series(1, 1000) g;
         INSERT INTO orders SELECT g, 1 + (g - 1) / 20, CASE WHEN g % 10 = 0 THEN 'pending' ELSE 'shipped' END,
                                   (g % 97) + 0.5, NULL FROM generate_series(1, 20000) g;
         INSERT INTO order_item SELECT g, 1 + (g - 1) / 3, 'product-' || (g % 5000), 1 + g % 4
                                FROM generate_series(1, 60000) g;
         ANALYZE;",
    )
    .unwrap();
}

/// What the workload ran.
#[derive(Debug, Default)]
pub struct Ran {
    pub parent_calls: u64,
    pub parent_rows: u64,
    pub child_calls: u64,
    pub child_rows: u64,
    pub slow_calls: u64,
    pub page_calls: u64,
}

/// Runs the application workload on one connection: an N+1 loop (orders of a customer, then
/// the items of each order, one query per order), a slow filter on an unindexed column with
/// literals (simple protocol), and OFFSET pagination.
pub async fn run_workload(conninfo: &str) -> Ran {
    let (client, connection) = tokio_postgres::connect(conninfo, tokio_postgres::NoTls)
        .await
        .unwrap();
    let task = tokio::spawn(connection);
    let mut ran = Ran::default();
    let parent = client.prepare(PARENT).await.unwrap();
    let child = client.prepare(CHILD).await.unwrap();
    for round in 0..ROUNDS {
        let customer = 1 + round as i64 * 37;
        let orders = client.query(&parent, &[&customer]).await.unwrap();
        ran.parent_calls += 1;
        ran.parent_rows += orders.len() as u64;
        for order in &orders {
            let id: i64 = order.get("id");
            let items = client.query(&child, &[&id]).await.unwrap();
            ran.child_calls += 1;
            ran.child_rows += items.len() as u64;
        }
    }
    for i in 0..SLOW_FILTER_RUNS {
        // Literals, as an application that builds SQL text would send them.
        let sql = format!(
            "SELECT count(*) FROM order_item WHERE product = 'product-{}'",
            17 + i * 101
        );
        client.simple_query(&sql).await.unwrap();
        ran.slow_calls += 1;
    }
    let page = client.prepare(PAGE).await.unwrap();
    for p in 0..PAGES {
        let offset = (p * 20) as i64;
        client.query(&page, &[&20i64, &offset]).await.unwrap();
        ran.page_calls += 1;
    }
    drop(client);
    let _ = task.await;
    ran
}
