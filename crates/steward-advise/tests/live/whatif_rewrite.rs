//! Rewrites return the same rows as the original on a real database with NULLs and ties
//! (keyset: paging through gives the same sequence), and refuse what is not equivalent.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{cluster, connect};
use steward_advise::rewrite::{
    correlated_to_lateral, count_to_exists, not_in_to_not_exists, offset_to_keyset, sargable_range,
    Outcome,
};
use steward_testkit::Database;

fn setup() -> Database<'static> {
    let db = cluster().create_database("whatif_rewrite").unwrap();
    db.exec(
        "CREATE TABLE customer (id int PRIMARY KEY, name text NOT NULL, region text, score int NOT NULL);
         CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, ref_id int,
                              created_at timestamptz NOT NULL, placed timestamp NOT NULL, amount int);
         CREATE TABLE blocked (customer_id int NOT NULL, maybe_id int);
         INSERT INTO customer SELECT g, 'c' || g, CASE WHEN g % 7 = 0 THEN NULL ELSE 'r' || g % 3 END, g % 5
         FROM generate_series(1, 200) g;
         INSERT INTO orders SELECT g, 1 + g % 150, CASE WHEN g % 11 = 0 THEN NULL ELSE g % 50 END,
                timestamptz '2023-12-30 20:00+00' + g * interval '3 hours',
                timestamp '2023-12-30 20:00' + g * interval '3 hours',
                CASE WHEN g % 13 = 0 THEN NULL ELSE g % 97 END
         FROM generate_series(1, 2000) g;
         INSERT INTO blocked VALUES (3, 4), (10, NULL), (20, 21), (3, 9);
         ANALYZE;",
    )
    .unwrap();
    db
}

/// Sorted result rows (psql's unaligned output).
fn rows(db: &Database, sql: &str) -> Vec<String> {
    let mut r: Vec<String> = db.exec(sql).unwrap().lines().map(str::to_string).collect();
    r.sort();
    r
}

fn same(db: &Database, original: &str, outcome: &Outcome) -> String {
    let Outcome::Rewritten(r) = outcome else {
        panic!("{original}: {outcome:?}")
    };
    let a = rows(db, original);
    // Only the deliberately empty case (a non-truncated date_trunc value) may return nothing.
    assert!(
        !a.is_empty() || original.contains("10:00'"),
        "{original} returns nothing"
    );
    assert_eq!(a, rows(db, &r.sql), "{original}\n=> {}", r.sql);
    r.sql.clone()
}

async fn model(db: &Database<'_>) -> steward_core::model::Model {
    let conn = connect(&db.conninfo()).await;
    steward_pg::catalog::read_model(&conn.client)
        .await
        .unwrap()
        .0
}

#[tokio::test]
async fn rewrites_return_the_same_rows() {
    let db = setup();
    let m = model(&db).await;

    // NOT IN → NOT EXISTS over NOT NULL columns; refused over a nullable one.
    let sql = "SELECT id, name FROM customer WHERE id NOT IN (SELECT customer_id FROM blocked)";
    let out = same(&db, sql, &not_in_to_not_exists(sql, &m));
    assert!(out.contains("NOT EXISTS"), "{out}");
    let sql = "SELECT id FROM customer WHERE id NOT IN (SELECT maybe_id FROM blocked)";
    match not_in_to_not_exists(sql, &m) {
        Outcome::Refused(why) => assert!(why.contains("NULL"), "{why}"),
        other => panic!("{other:?}"),
    }
    // (And indeed they differ: NOT IN over the NULL returns nothing.)
    assert!(rows(&db, sql).is_empty());
    let sql = "SELECT id FROM orders o WHERE o.ref_id NOT IN (SELECT customer_id FROM blocked)";
    assert!(matches!(not_in_to_not_exists(sql, &m), Outcome::Refused(_)));

    // COUNT(*) > 0 → EXISTS, = 0 → NOT EXISTS, count(col) keeps its NOT NULL condition.
    for sql in [
        "SELECT c.id FROM customer c WHERE (SELECT count(*) FROM orders o WHERE o.customer_id = c.id AND o.amount > 90) > 0",
        "SELECT c.id FROM customer c WHERE (SELECT count(*) FROM orders o WHERE o.customer_id = c.id) = 0",
        "SELECT c.id FROM customer c WHERE (SELECT count(o.amount) FROM orders o WHERE o.customer_id = c.id AND o.id < 300) >= 1",
    ] {
        let out = same(&db, sql, &count_to_exists(sql, &m));
        assert!(out.contains("EXISTS"), "{out}");
    }

    // Non-sargable date predicates → ranges (timestamptz and timestamp, a DST-free session).
    for sql in [
        "SELECT id FROM orders WHERE created_at::date = '2024-01-05'",
        "SELECT id FROM orders WHERE placed::date = '2024-02-29'",
        "SELECT id FROM orders WHERE extract(year FROM created_at) = 2024",
        "SELECT id FROM orders WHERE extract(year FROM placed) = 2023",
        "SELECT id FROM orders WHERE date_trunc('day', placed) = '2024-01-07'",
        "SELECT id FROM orders WHERE date_trunc('month', created_at) = '2024-03-01 00:00+00' AND amount > 10",
        // Not truncated: the original matches nothing, and so must the rewrite.
        "SELECT id FROM orders WHERE date_trunc('day', placed) = '2024-01-07 10:00'",
    ] {
        let out = same(&db, sql, &sargable_range(sql, &m));
        assert!(out.contains(">="), "{out}");
    }

    // Correlated scalar aggregate → LATERAL (customers without orders give NULL / 0).
    for sql in [
        "SELECT c.id, (SELECT max(o.amount) FROM orders o WHERE o.customer_id = c.id) FROM customer c",
        "SELECT c.id, (SELECT count(*) FROM orders o WHERE o.customer_id = c.id AND o.amount IS NULL) AS nulls FROM customer c WHERE c.score = 2",
    ] {
        let out = same(&db, sql, &correlated_to_lateral(sql, &m));
        assert!(out.contains("LATERAL"), "{out}");
    }
    let sql =
        "SELECT c.id, (SELECT o.amount FROM orders o WHERE o.customer_id = c.id) FROM customer c";
    assert!(matches!(
        correlated_to_lateral(sql, &m),
        Outcome::Refused(_)
    ));
}

#[tokio::test]
async fn keyset_pages_are_the_same_sequence() {
    let db = setup();
    let m = model(&db).await;
    // score has ties; (score, id) is unique through the primary key.
    let page = 7;
    let offset_sql = |n: usize| {
        format!(
            "SELECT id, score FROM customer WHERE name <> 'c5' ORDER BY score, id LIMIT {page} OFFSET {}",
            n * page
        )
    };
    let r = match offset_to_keyset(&offset_sql(3), &m) {
        Outcome::Rewritten(r) => r,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        r.index.as_deref(),
        Some("CREATE INDEX CONCURRENTLY ON public.customer (score, id);")
    );
    let first = r.first_page.clone().unwrap();
    let mut offset_pages = Vec::new();
    let mut keyset_pages = Vec::new();
    let mut last: Option<(String, String)> = None;
    for n in 0..40 {
        let expected: Vec<String> = db
            .exec(&offset_sql(n))
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        let got_sql = match &last {
            None => first.clone(),
            Some((id, score)) => r.sql.replace("$1", score).replace("$2", id),
        };
        let got: Vec<String> = db
            .exec(&got_sql)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        if let Some(l) = got.last() {
            let (id, score) = l.split_once('|').unwrap();
            last = Some((id.to_string(), score.to_string()));
        }
        let done = expected.is_empty();
        offset_pages.push(expected);
        keyset_pages.push(got);
        if done {
            break;
        }
    }
    assert!(offset_pages.len() > 20);
    assert_eq!(offset_pages, keyset_pages);
    // Refusals: ties, nullable keys, mixed directions.
    for (sql, why) in [
        (
            "SELECT id FROM customer ORDER BY score LIMIT 5 OFFSET 10",
            "not unique",
        ),
        (
            "SELECT id FROM customer ORDER BY region, id LIMIT 5 OFFSET 10",
            "NULL",
        ),
        (
            "SELECT id FROM customer ORDER BY score DESC, id LIMIT 5 OFFSET 10",
            "mixes",
        ),
    ] {
        match offset_to_keyset(sql, &m) {
            Outcome::Refused(reason) => assert!(reason.contains(why), "{sql}: {reason}"),
            other => panic!("{sql}: {other:?}"),
        }
    }
}
