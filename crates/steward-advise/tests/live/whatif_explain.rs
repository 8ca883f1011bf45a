//! `steward explain`'s library: findings on real plans, refusals, rolled-back writes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{cluster, connect, skewed_orders};
use steward_advise::explain::{explain_statement, ExplainError, ExplainOptions};
use steward_advise::params::Binding;

fn analyze() -> ExplainOptions {
    ExplainOptions {
        analyze: true,
        allow_writes: false,
    }
}

#[tokio::test]
async fn findings_on_a_large_table() {
    let db = skewed_orders("explain_findings", false);
    let conn = connect(&db.conninfo()).await;
    // A selective filter on a large table, without and with ANALYZE.
    for options in [ExplainOptions::default(), analyze()] {
        let r = explain_statement(
            &conn.client,
            "SELECT * FROM orders WHERE customer_id = 42",
            &options,
        )
        .await
        .unwrap();
        let f = r
            .findings
            .iter()
            .find(|f| f.kind == "seq-scan-selective")
            .unwrap_or_else(|| panic!("{r:#?}"));
        assert!(f.path.ends_with("Seq Scan on orders"), "{}", f.path);
        assert!(
            f.help
                .contains("CREATE INDEX CONCURRENTLY ON public.orders (customer_id)"),
            "{}",
            f.help
        );
        assert_eq!(r.analyzed, options.analyze);
    }
    // A sort that spills with a tiny work_mem (ANALYZE).
    steward_advise::plan::simple(&conn.client, "SET work_mem = '64kB'")
        .await
        .unwrap();
    let r = explain_statement(
        &conn.client,
        "SELECT id, note FROM orders ORDER BY note, amount LIMIT 50000",
        &analyze(),
    )
    .await
    .unwrap();
    let spill = r
        .findings
        .iter()
        .find(|f| f.kind == "spill")
        .unwrap_or_else(|| panic!("{r:#?}"));
    assert!(spill.path.contains("Sort"), "{}", spill.path);
    assert!(spill.message.contains("disk"));
    // Parameters get representative values from pg_stats.
    let r = explain_statement(
        &conn.client,
        "SELECT id FROM orders WHERE account_id = $1 AND created_at > $2",
        &analyze(),
    )
    .await
    .unwrap();
    assert!(
        matches!(r.binding, Binding::Representative { .. }),
        "{:?}",
        r.binding
    );
    assert!(r.execution_ms.is_some());
    let text = steward_advise::explain::render_text(&r);
    assert!(
        text.contains("representative values from pg_stats"),
        "{text}"
    );
}

#[tokio::test]
async fn bad_estimate_with_correlated_columns() {
    let db = cluster().create_database("explain_estimate").unwrap();
    db.exec(
        "CREATE TABLE pairs (a int, b int, pad text);
         INSERT INTO pairs SELECT g % 100, g % 100, 'x' FROM generate_series(1, 100000) g;
         ANALYZE pairs;",
    )
    .unwrap();
    let conn = connect(&db.conninfo()).await;
    let r = explain_statement(
        &conn.client,
        "SELECT * FROM pairs WHERE a = 5 AND b = 5",
        &analyze(),
    )
    .await
    .unwrap();
    let f = r
        .findings
        .iter()
        .find(|f| f.kind == "bad-estimate")
        .unwrap_or_else(|| panic!("{r:#?}"));
    assert!(f.message.contains("too few"), "{}", f.message);
    assert!(f.help.contains("CREATE STATISTICS"), "{}", f.help);
}

#[tokio::test]
async fn writes_are_refused_or_rolled_back() {
    let db = cluster().create_database("explain_writes").unwrap();
    db.exec("CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, 'v' FROM generate_series(1, 1000) g;")
        .unwrap();
    let conn = connect(&db.conninfo()).await;
    for sql in [
        "DELETE FROM t WHERE id < 500",
        "UPDATE t SET v = 'w'",
        "INSERT INTO t VALUES (5000, 'x')",
        "WITH gone AS (DELETE FROM t RETURNING id) SELECT count(*) FROM gone",
        "SELECT * FROM t WHERE id = 1 FOR UPDATE",
    ] {
        let e = explain_statement(&conn.client, sql, &analyze())
            .await
            .unwrap_err();
        assert!(
            matches!(&e, ExplainError::Refused(m) if m.contains("--allow-writes")),
            "{sql}: {e}"
        );
    }
    let e = explain_statement(&conn.client, "DROP TABLE t", &ExplainOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(e, ExplainError::Refused(_)), "{e}");
    // Without ANALYZE a write is only planned.
    let r = explain_statement(
        &conn.client,
        "DELETE FROM t WHERE id < 500",
        &ExplainOptions::default(),
    )
    .await
    .unwrap();
    assert!(r.writes && r.execution_ms.is_none());
    // With --allow-writes it runs, and is rolled back.
    let r = explain_statement(
        &conn.client,
        "DELETE FROM t WHERE id < 500",
        &ExplainOptions {
            analyze: true,
            allow_writes: true,
        },
    )
    .await
    .unwrap();
    assert!(r.analyzed && r.rolled_back && r.execution_ms.is_some());
    assert_eq!(db.value("SELECT count(*) FROM t").unwrap(), "1000");
    // Parameters with no column to take a value from: refused under ANALYZE, named.
    let e = explain_statement(&conn.client, "SELECT $1::int + 1", &analyze())
        .await
        .unwrap_err();
    assert!(
        matches!(&e, ExplainError::Refused(m) if m.contains("$1")),
        "{e}"
    );
}
