//! The quality goal on a small data set: the advisor's set reaches at least 95 % of the best
//! subset's cost reduction for k = 1, 2, 3, with no more indexes, and the real indexes make
//! the workload cheaper.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../examples/support/quality.rs"]
mod quality;

#[tokio::test]
async fn advisor_reaches_95_percent_of_the_optimum() {
    let db = crate::common::cluster()
        .create_database("whatif_quality")
        .unwrap();
    db.exec("CREATE EXTENSION hypopg").unwrap();
    quality::load(&db, 0.1);
    let report = quality::run(&db, 0.1).await;
    let table = quality::table(&report);
    eprintln!("{table}");
    assert!(report.queries >= 20);
    assert!(!report.advice.recommendations.is_empty(), "{table}");
    for b in &report.budgets {
        assert!(b.fraction() >= 0.95, "k={}: {table}", b.k);
        assert!(
            b.advisor_indexes <= b.optimum_indexes.max(1),
            "k={}: {table}",
            b.k
        );
    }
    assert!(report.cost_after_real < report.cost_before, "{table}");
    assert!(report.advisor_time.as_secs() < 30, "{table}");
}
