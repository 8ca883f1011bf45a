//! pg_stat_statements end to end: a real workload on a real server, read back, ranked, checked
//! by the query rules, its N+1 found with a batched rewrite that returns the same rows, and
//! economics that agree with what the server measured.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::workload_common::*;
use std::time::Instant;
use steward_advise::economics::{Price, DAYS_PER_MONTH};
use steward_advise::nplus1::{Evidence, Strength};
use steward_advise::report::{advise, FindingKind, Options};
use steward_advise::workload::normalise::normalise;
use steward_advise::workload::{pgss, WorkloadError};
use steward_pg::connect::{self, Params, Safety};

async fn steward_connection(conninfo: &str) -> connect::Connection {
    let params = Params::resolve(conninfo, &|_| None).unwrap();
    connect::connect(&params, &Safety::default()).await.unwrap()
}

#[tokio::test]
async fn pg_stat_statements_top_queries_rules_nplus1_and_economics() {
    let db = cluster().create_database("advise_pgss").unwrap();
    db.exec("CREATE EXTENSION pg_stat_statements").unwrap();
    shop(&db);
    // Only this database's entries: other tests' databases keep theirs.
    db.exec("SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)")
        .unwrap();
    let ran = run_workload(&db.conninfo()).await;
    assert_eq!(ran.parent_rows as usize, ROUNDS * ORDERS_PER_CUSTOMER);
    assert_eq!(
        ran.child_rows as usize,
        ROUNDS * ORDERS_PER_CUSTOMER * ITEMS_PER_ORDER
    );

    let conn = steward_connection(&db.conninfo()).await;
    let started = Instant::now();
    let workload = pgss::read(&conn.client, "test").await.unwrap();
    let read_time = started.elapsed();
    let (model, _) = steward_pg::catalog::read_model(&conn.client).await.unwrap();
    eprintln!(
        "pg_stat_statements read: {} shapes in {:?}",
        workload.queries.len(),
        read_time
    );
    let rules = steward_rules::registry::all();
    let price = Price::default();
    let advice = advise(workload, Some(&model), &rules, Options { top: 10, price });
    let w = &advice.workload;
    let shape = |text: &str| normalise(text).unwrap().text;
    let find = |text: &str| {
        let s = shape(text);
        w.queries
            .iter()
            .position(|q| q.text == s)
            .unwrap_or_else(|| panic!("no shape {s} in {:#?}", w.queries))
    };

    // The top query by total time is the one the server itself ranks first.
    let db_filter =
        "dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND toplevel";
    let server_top = db
        .value(&format!(
            "SELECT query FROM pg_stat_statements WHERE {db_filter} ORDER BY total_exec_time DESC LIMIT 1"
        ))
        .unwrap();
    assert_eq!(w.queries[0].text, shape(&server_top));
    // … and it is the unindexed filter (60,000-row scans), its literals grouped into one shape.
    let slow = find("SELECT count(*) FROM order_item WHERE product = 'x'");
    assert_eq!(slow, 0, "{:#?}", &w.queries[..3]);
    assert_eq!(w.queries[slow].calls, ran.slow_calls);

    // Measured figures are the server's.
    let (server_calls, server_total): (u64, f64) = {
        let v = db
            .value(&format!(
                "SELECT sum(calls)::text || ' ' || sum(total_exec_time)::text FROM pg_stat_statements WHERE {db_filter} AND query = $q${}$q$",
                server_top
            ))
            .unwrap();
        let (c, t) = v.split_once(' ').unwrap();
        (c.parse().unwrap(), t.parse().unwrap())
    };
    let top = &w.queries[0];
    assert_eq!(top.calls, server_calls);
    assert!((top.total_ms - server_total).abs() <= 1e-6 * server_total.max(1.0));
    assert!(
        top.shared_blks_hit + top.shared_blks_read > 0,
        "buffers are read"
    );

    // Economics agree with the totals and the window.
    assert_eq!(w.window.basis, "stats_reset");
    let days = w.window.seconds.unwrap() / 86_400.0;
    assert!(days > 0.0);
    let json = advice.to_json();
    let top_json = &json["top_queries"][0];
    let per_day = top.total_ms / 1000.0 / days;
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1e-9);
    assert!(close(
        top_json["db_seconds_per_day"].as_f64().unwrap(),
        per_day
    ));
    assert!(close(
        top_json["cost_per_month"].as_f64().unwrap(),
        per_day * DAYS_PER_MONTH / 3600.0 * price.per_vcpu_hour
    ));
    assert!(close(
        top_json["calls_per_day"].as_f64().unwrap(),
        top.calls as f64 / days
    ));
    assert_eq!(json["version"], 1);

    // The N+1: items fetched once per order, found from call ratios and the foreign key.
    let child = find(CHILD);
    let parent = find(PARENT);
    let n = advice
        .findings
        .iter()
        .find_map(|f| match &f.kind {
            FindingKind::NPlusOne(n) if n.child == child => Some(n),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no N+1 on {CHILD}: {}", advice.to_text()));
    assert_eq!(n.parent, Some(parent));
    assert_eq!(n.strength, Strength::Strong);
    assert_eq!(
        n.evidence,
        Evidence::CallRatio {
            parent_calls: ran.parent_calls,
            parent_rows: ran.parent_rows,
            child_calls: ran.child_calls,
            child_rows_per_call: ran.child_rows as f64 / ran.child_calls as f64,
        }
    );
    assert_eq!(
        n.foreign_key.as_deref(),
        Some("public.order_item.order_id → public.orders")
    );
    assert_eq!(n.round_trips_saved, ran.child_calls - ran.parent_calls);
    // The rewrites are real SQL that return the loop's rows in one statement.
    let batched = n.batched.clone().unwrap();
    let joined = n.joined.clone().unwrap();
    let (client, connection) = tokio_postgres::connect(&db.conninfo(), tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    let customer = 38i64;
    let order_ids: Vec<i64> = client
        .query(PARENT, &[&customer])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get("id"))
        .collect();
    let batched_rows = client.query(&batched, &[&order_ids]).await.unwrap();
    assert_eq!(batched_rows.len(), ORDERS_PER_CUSTOMER * ITEMS_PER_ORDER);
    let joined_rows = client.query(&joined, &[&customer]).await.unwrap();
    assert_eq!(joined_rows.len(), ORDERS_PER_CUSTOMER * ITEMS_PER_ORDER);
    let nplus1 = advice
        .findings
        .iter()
        .find(|f| f.rule() == "n-plus-one")
        .unwrap();
    assert!(nplus1.savings.saved_seconds_per_day > 0.0);
    assert!(close(
        nplus1.savings.db_seconds_per_day,
        w.queries[child].total_ms / 1000.0 / days
    ));

    // Query rules on the paginated list, with its real call count.
    let page = find(PAGE);
    assert_eq!(w.queries[page].calls, ran.page_calls);
    for rule in ["offset-pagination", "select-star"] {
        let f = advice
            .findings
            .iter()
            .find(|f| f.query == page && f.rule() == rule)
            .unwrap_or_else(|| panic!("no {rule}: {}", advice.to_text()));
        assert!(close(f.savings.calls_per_day, ran.page_calls as f64 / days));
        let json_finding = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|j| j["rule"] == rule && j["query_rank"] == page + 1)
            .unwrap();
        assert!(json_finding["impact"]
            .as_str()
            .unwrap()
            .starts_with("runs "));
    }
    // Findings are sorted by savings.
    let saved: Vec<f64> = advice
        .findings
        .iter()
        .map(|f| f.savings.saved_seconds_per_day)
        .collect();
    assert!(saved.windows(2).all(|p| p[0] >= p[1]), "{saved:?}");
    let text = advice.to_text();
    assert!(text.contains("n-plus-one (strong)"), "{text}");
    assert!(text.contains("order_id = ANY($1)"), "{text}");
}

#[tokio::test]
async fn extension_not_created_says_how_to_enable_it() {
    let db = cluster().create_database("advise_noext").unwrap();
    let conn = steward_connection(&db.conninfo()).await;
    match pgss::read(&conn.client, "test").await {
        Err(WorkloadError::StatsMissing(how)) => {
            assert!(how.contains("not created in database"), "{how}");
            assert!(how.contains("CREATE EXTENSION IF NOT EXISTS pg_stat_statements"));
            assert!(!how.contains("restart"), "{how}");
        }
        other => panic!("expected StatsMissing, got {other:?}"),
    }
}
