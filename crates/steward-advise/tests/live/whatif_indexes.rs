//! The what-if index advisor on skewed data with hypopg.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{connect, q, skewed_orders};
use steward_advise::indexes::{advise, IndexAdvice, IndexOptions};

fn keys(advice: &IndexAdvice) -> Vec<Vec<String>> {
    advice
        .recommendations
        .iter()
        .map(|r| r.candidate.keys.iter().map(|k| k.column.clone()).collect())
        .collect()
}

fn options() -> IndexOptions {
    IndexOptions {
        drops: false,
        ..IndexOptions::default()
    }
}

#[tokio::test]
async fn composite_index_with_selective_column_first() {
    let db = skewed_orders("whatif_composite", true);
    let conn = connect(&db.conninfo()).await;
    let workload = [q(
        "SELECT id, amount, note FROM orders WHERE kind = $1 AND account_id = $2",
        1000,
    )];
    let advice = advise(&conn, &workload, &options()).await.unwrap();
    assert!(advice.evaluated, "{:?}", advice.notes);
    let keys = keys(&advice);
    assert_eq!(keys.len(), 1, "{advice:#?}");
    // account_id (1,000 values) before kind (50 values): both equality, most selective first.
    assert_eq!(keys[0], ["account_id", "kind"], "{advice:#?}");
    let r = &advice.recommendations[0];
    assert!(
        r.create_sql.starts_with("CREATE INDEX CONCURRENTLY"),
        "{}",
        r.create_sql
    );
    assert!(r.estimated_bytes > 0);
    let help = &r.helps[0];
    assert_eq!(help.query, 0);
    assert!(help.cost_after < help.cost_before / 10.0, "{help:?}");
    let effect = &advice.queries[0];
    assert!(effect.cost_ratio.unwrap() < 0.1, "{effect:?}");
    assert!(advice.workload_cost_after < advice.workload_cost_before);
    // Nothing is left behind: hypopg's indexes are gone and nothing was built.
    let left = crate::common::cluster()
        .psql(&db.name, "SELECT count(*) FROM hypopg_list_indexes")
        .unwrap_or_else(|_| "0".into());
    assert_eq!(left.trim(), "0");
    assert_eq!(
        db.value("SELECT count(*) FROM pg_indexes WHERE tablename = 'orders'")
            .unwrap(),
        "1"
    );
}

#[tokio::test]
async fn partial_index_for_a_constant_predicate() {
    let db = skewed_orders("whatif_partial", true);
    let conn = connect(&db.conninfo()).await;
    let workload = [q(
        "SELECT id, account_id FROM orders WHERE status = 'pending' ORDER BY created_at LIMIT 20",
        5000,
    )];
    let advice = advise(&conn, &workload, &options()).await.unwrap();
    assert_eq!(advice.recommendations.len(), 1, "{advice:#?}");
    let c = &advice.recommendations[0].candidate;
    assert_eq!(
        c.predicate.as_deref(),
        Some("status = 'pending'"),
        "{advice:#?}"
    );
    assert_eq!(c.keys[0].column, "created_at");
    assert!(advice.recommendations[0]
        .create_sql
        .contains("WHERE status = 'pending'"));
}

#[tokio::test]
async fn include_columns_for_an_index_only_scan() {
    let db = skewed_orders("whatif_include", true);
    let conn = connect(&db.conninfo()).await;
    let workload = [q(
        "SELECT sum(amount) FROM orders WHERE account_id = $1",
        2000,
    )];
    let advice = advise(&conn, &workload, &options()).await.unwrap();
    assert_eq!(advice.recommendations.len(), 1, "{advice:#?}");
    let c = &advice.recommendations[0].candidate;
    assert_eq!(c.keys[0].column, "account_id");
    assert_eq!(c.include, ["amount"], "{advice:#?}");
}

#[tokio::test]
async fn candidates_an_existing_index_covers_are_refused() {
    let db = skewed_orders("whatif_covered", true);
    db.exec("CREATE INDEX orders_account_kind ON orders (account_id, kind)")
        .unwrap();
    let conn = connect(&db.conninfo()).await;
    let workload = [q(
        "SELECT id FROM orders WHERE account_id = $1 AND kind = $2",
        1000,
    )];
    let advice = advise(&conn, &workload, &options()).await.unwrap();
    let covered: Vec<_> = advice
        .covered
        .iter()
        .map(|c| c.candidate.as_str())
        .collect();
    assert!(
        covered.contains(&"public.orders (account_id, kind)")
            && covered.contains(&"public.orders (account_id)"),
        "{covered:?}"
    );
    assert!(advice
        .covered
        .iter()
        .all(|c| c.by == "public.orders_account_kind"));
    for r in &advice.recommendations {
        let k: Vec<_> = r.candidate.keys.iter().map(|k| k.column.as_str()).collect();
        assert_ne!(k, ["account_id", "kind"], "{advice:#?}");
        assert_ne!(k, ["account_id"], "{advice:#?}");
    }
}

#[tokio::test]
async fn greedy_respects_max_indexes_and_max_size() {
    let db = skewed_orders("whatif_budget", true);
    let conn = connect(&db.conninfo()).await;
    let workload = [
        q("SELECT id FROM orders WHERE customer_id = $1", 3000),
        q(
            "SELECT id FROM orders WHERE account_id = $1 AND kind = $2",
            2000,
        ),
        q(
            "SELECT count(*) FROM orders WHERE created_at BETWEEN $1 AND $2",
            500,
        ),
    ];
    let free = advise(&conn, &workload, &options()).await.unwrap();
    assert!(free.recommendations.len() >= 2, "{free:#?}");
    let one = advise(
        &conn,
        &workload,
        &IndexOptions {
            max_indexes: Some(1),
            ..options()
        },
    )
    .await
    .unwrap();
    assert_eq!(one.recommendations.len(), 1);
    // The single best index is the one with the largest saving of the unconstrained set.
    assert!(one.workload_cost_after < one.workload_cost_before);
    let smallest = free
        .recommendations
        .iter()
        .map(|r| r.estimated_bytes)
        .min()
        .unwrap();
    let tight = advise(
        &conn,
        &workload,
        &IndexOptions {
            max_bytes: Some(smallest),
            ..options()
        },
    )
    .await
    .unwrap();
    let total: i64 = tight
        .recommendations
        .iter()
        .map(|r| r.estimated_bytes)
        .sum();
    assert!(total <= smallest, "{tight:#?}");
    assert!(!tight.recommendations.is_empty());
    let none = advise(
        &conn,
        &workload,
        &IndexOptions {
            max_bytes: Some(1),
            ..options()
        },
    )
    .await
    .unwrap();
    assert!(none.recommendations.is_empty());
}

#[tokio::test]
async fn drop_candidates_unused_and_redundant() {
    let db = skewed_orders("whatif_drops", true);
    db.exec(
        "CREATE INDEX orders_note_idx ON orders (note);
         CREATE INDEX orders_account_idx ON orders (account_id);
         CREATE INDEX orders_account_kind_idx ON orders (account_id, kind);",
    )
    .unwrap();
    let conn = connect(&db.conninfo()).await;
    let advice = advise(
        &conn,
        &[q("SELECT id FROM orders WHERE id = $1", 10)],
        &IndexOptions {
            unused_min_bytes: 0.0,
            ..IndexOptions::default()
        },
    )
    .await
    .unwrap();
    let found = |rule: &str, index: &str| {
        advice
            .drops
            .iter()
            .any(|d| d.rule == rule && d.index == index)
    };
    assert!(
        found("unused-index", "public.orders_note_idx"),
        "{:#?}",
        advice.drops
    );
    assert!(
        found("redundant-index", "public.orders_account_idx"),
        "{:#?}",
        advice.drops
    );
    // Never the primary key's index.
    assert!(!advice.drops.iter().any(|d| d.index.contains("pkey")));
    assert!(advice.drops.iter().all(|d| d
        .sql
        .as_deref()
        .is_some_and(|s| s.starts_with("DROP INDEX CONCURRENTLY"))));
}

#[tokio::test]
async fn without_hypopg_candidates_are_rule_based_and_labelled() {
    let db = skewed_orders("whatif_nohypo", false);
    let conn = connect(&db.conninfo()).await;
    let workload = [q("SELECT id FROM orders WHERE customer_id = $1", 100)];
    let advice = advise(&conn, &workload, &options()).await.unwrap();
    assert!(!advice.evaluated);
    assert!(advice.recommendations.is_empty());
    assert!(
        advice
            .notes
            .iter()
            .any(|n| n.contains("hypopg") && n.contains("NOT evaluated")),
        "{:?}",
        advice.notes
    );
    assert!(advice
        .unevaluated
        .iter()
        .any(|c| c.keys[0].column == "customer_id"));
    assert!(advice.queries[0].not_evaluated.is_some());
}
