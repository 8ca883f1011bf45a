//! What the what-if tests share: the cluster, connections, a skewed data set.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use steward_advise::WorkloadQuery;
use steward_pg::connect::{self, Connection, Params, Safety};
use steward_testkit::{Cluster, Database};

/// The process-wide cluster; under CI a missing PostgreSQL is a failure, never a skip.
pub fn cluster() -> &'static Cluster {
    Cluster::shared().unwrap_or_else(|e| panic!("cannot start PostgreSQL: {e}"))
}

/// Connects like the CLI does (read-only sessions), without this process's PG* variables.
pub async fn connect(conninfo: &str) -> Connection {
    let params = Params::resolve(conninfo, &|_| None).unwrap();
    connect::connect(&params, &Safety::default()).await.unwrap()
}

/// A workload query with `calls` executions.
pub fn q(text: &str, calls: u64) -> WorkloadQuery {
    WorkloadQuery {
        text: text.to_string(),
        calls,
        total_ms: calls as f64,
        rows: calls,
        shared_blks_hit: 0,
        shared_blks_read: 0,
    }
}

/// `orders`: 200,000 rows with skew. `account_id` has 1,000 values (Zipf-like: a few
/// accounts own many rows), `kind` 50 values, `status` is 'pending' for 1 % of rows,
/// `customer_id` 50,000 values, `created_at` spread over two years. Vacuumed and analysed
/// (index-only scans need the visibility map).
pub fn skewed_orders(prefix: &str, hypopg: bool) -> Database<'static> {
    let db = cluster().create_database(prefix).unwrap();
    if hypopg {
        db.exec("CREATE EXTENSION hypopg").unwrap();
    }
    db.exec(
        "CREATE TABLE orders (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            account_id int NOT NULL,
            kind int NOT NULL,
            customer_id int NOT NULL,
            status text NOT NULL,
            created_at timestamptz NOT NULL,
            amount numeric(10,2) NOT NULL,
            note text
         );
         -- The test cluster commits asynchronously; VACUUM cannot mark pages all-visible
         -- (which index-only scans need) until the commit is flushed.
         SET synchronous_commit = on;
         SELECT setseed(0.42);
         INSERT INTO orders (account_id, kind, customer_id, status, created_at, amount, note)
         SELECT 1 + floor(1000 * power(random(), 2))::int,
                1 + floor(50 * random())::int,
                1 + floor(50000 * random())::int,
                CASE WHEN random() < 0.01 THEN 'pending'
                     WHEN random() < 0.5 THEN 'shipped' ELSE 'delivered' END,
                timestamptz '2023-01-01' + (random() * 730) * interval '1 day',
                round((random() * 500)::numeric, 2),
                repeat('x', 40)
         FROM generate_series(1, 200000);",
    )
    .unwrap();
    db.exec("VACUUM ANALYZE orders").unwrap();
    db
}
