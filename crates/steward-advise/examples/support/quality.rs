//! The what-if advisor's quality benchmark, shared by `examples/whatif_quality.rs` (full size)
//! and the `whatif` test binary (small size, asserting the goal).
//!
//! Chinook's schema (testdata/corpus, with its foreign-key indexes) filled with generated,
//! skewed data (`power(random(), k)`: a few artists, customers and genres own most rows), and
//! a workload of 24 normalised queries with call counts. Measured:
//! - the workload's plan cost (Σ calls × cost) and execution time (Σ calls × the best of
//!   three `EXPLAIN ANALYZE` runs) before and after building the advised indexes for real;
//! - for k = 1, 2, 3: the advisor limited to k indexes against the best subset of at most k
//!   candidates, found by enumerating every subset with hypopg.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};
use steward_advise::indexes::{
    advise, analyse_workload, write_overheads, IndexAdvice, IndexOptions, WhatIf,
};
use steward_advise::plan::simple;
use steward_advise::WorkloadQuery;
use steward_pg::connect::{self, Connection, Params, Safety};
use steward_testkit::Database;

/// Chinook's tables, keys and foreign-key indexes (the corpus file without its data).
pub fn chinook_schema() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/corpus/chinook-postgresql.sql"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let start = text.find("CREATE TABLE album").unwrap();
    let end = text.find("INSERT INTO").unwrap();
    text[start..end].to_string()
}

/// Generated data: `scale` 1.0 is about 1.5 million rows.
pub fn load(db: &Database<'_>, scale: f64) {
    db.exec(&chinook_schema()).unwrap();
    let n = |base: f64| ((base * scale).round() as i64).max(10);
    let (artists, albums, tracks, customers, invoices, lines, playlists, entries) = (
        n(10_000.0),
        n(30_000.0),
        n(200_000.0),
        n(50_000.0),
        n(200_000.0),
        n(800_000.0),
        n(1_000.0),
        n(300_000.0),
    );
    let sql = format!(
        "SET synchronous_commit = on;
         SELECT setseed(0.2024);
         INSERT INTO genre SELECT g, 'genre ' || g FROM generate_series(1, 25) g;
         INSERT INTO media_type SELECT g, 'media ' || g FROM generate_series(1, 5) g;
         INSERT INTO employee (employee_id, last_name, first_name, title, reports_to, country)
         SELECT g, 'emp' || g, 'e' || g, 'Sales Support Agent', NULLIF(g - 1, 0), 'Canada'
         FROM generate_series(1, 8) g;
         INSERT INTO artist SELECT g, 'artist ' || g FROM generate_series(1, {artists}) g;
         INSERT INTO album
         SELECT g, 'album ' || g, 1 + floor({artists} * power(random(), 3))::int
         FROM generate_series(1, {albums}) g;
         INSERT INTO track
         SELECT g, 'track ' || md5(g::text),
                1 + floor({albums} * power(random(), 2))::int,
                1 + floor(5 * power(random(), 3))::int,
                1 + floor(25 * power(random(), 2))::int,
                CASE WHEN random() < 0.3 THEN NULL ELSE 'composer ' || floor(5000 * power(random(), 2))::int END,
                60000 + floor(400000 * power(random(), 2))::int,
                1000000 + floor(9000000 * random())::int,
                (ARRAY[0.99, 1.99, 0.99, 0.99])[1 + floor(4 * random())::int]
         FROM generate_series(1, {tracks}) g;
         INSERT INTO customer (customer_id, first_name, last_name, city, country, email, support_rep_id, phone)
         SELECT g, 'first' || floor(2000 * random())::int, 'last' || floor(20000 * power(random(), 2))::int,
                'city ' || floor(500 * power(random(), 2))::int,
                'country ' || floor(24 * power(random(), 3))::int,
                'user' || g || '@example.com', 1 + floor(8 * random())::int, '+1 555 ' || g
         FROM generate_series(1, {customers}) g;
         INSERT INTO invoice (invoice_id, customer_id, invoice_date, billing_city, billing_country, total)
         SELECT g, 1 + floor({customers} * power(random(), 2))::int,
                timestamp '2020-01-01' + (random() * 1825) * interval '1 day',
                'city ' || floor(500 * power(random(), 2))::int,
                'country ' || floor(24 * power(random(), 3))::int,
                round((random() * 30)::numeric, 2)
         FROM generate_series(1, {invoices}) g;
         INSERT INTO invoice_line
         SELECT g, 1 + floor({invoices} * random())::int, 1 + floor({tracks} * power(random(), 2))::int,
                0.99, 1 + floor(3 * power(random(), 4))::int
         FROM generate_series(1, {lines}) g;
         INSERT INTO playlist SELECT g, 'playlist ' || g FROM generate_series(1, {playlists}) g;
         INSERT INTO playlist_track
         SELECT DISTINCT 1 + floor({playlists} * random())::int, 1 + floor({tracks} * random())::int
         FROM generate_series(1, {entries}) g;"
    );
    db.exec(&sql).unwrap();
    db.exec("VACUUM ANALYZE").unwrap();
    // Loading is not the workload's writing: start the write statistics from zero.
    db.exec("SELECT pg_stat_reset()").unwrap();
}

/// 24 query shapes with call counts, as pg_stat_statements would list them.
pub fn workload() -> Vec<WorkloadQuery> {
    let q = |text: &str, calls: u64| WorkloadQuery {
        text: text.to_string(),
        calls,
        total_ms: 0.0,
        rows: 0,
        shared_blks_hit: 0,
        shared_blks_read: 0,
    };
    vec![
        q("SELECT * FROM customer WHERE email = $1", 5000),
        q("SELECT invoice_id, total FROM invoice WHERE customer_id = $1 ORDER BY invoice_date DESC LIMIT 10", 3000),
        q("SELECT count(*) FROM invoice WHERE invoice_date >= $1 AND invoice_date < $2", 500),
        q("SELECT billing_country, sum(total) FROM invoice WHERE invoice_date >= $1 GROUP BY billing_country", 100),
        q("SELECT track_id, name FROM track WHERE genre_id = $1 AND media_type_id = $2 ORDER BY name LIMIT 50", 2000),
        q("SELECT t.name, il.quantity FROM invoice_line il JOIN track t ON t.track_id = il.track_id WHERE il.invoice_id = $1", 4000),
        q("SELECT name FROM track WHERE composer = $1", 800),
        q("SELECT customer_id, first_name, last_name FROM customer WHERE country = $1 AND city = $2", 1500),
        q("SELECT * FROM customer WHERE last_name = $1 AND first_name = $2", 1000),
        q("SELECT album_id, title FROM album WHERE title = $1", 700),
        q("SELECT artist_id FROM artist WHERE name = $1", 700),
        q("SELECT sum(il.unit_price * il.quantity) FROM invoice_line il JOIN invoice i ON i.invoice_id = il.invoice_id WHERE i.customer_id = $1", 600),
        q("SELECT track_id FROM track WHERE milliseconds > $1 ORDER BY milliseconds LIMIT 20", 300),
        q("SELECT invoice_id FROM invoice WHERE billing_country = $1 AND total > $2", 400),
        q("SELECT count(*) FROM invoice WHERE total > $1", 50),
        q("SELECT customer_id, email FROM customer WHERE support_rep_id = $1 ORDER BY last_name LIMIT 25", 800),
        q("SELECT t.track_id, t.name FROM playlist_track pt JOIN track t ON t.track_id = pt.track_id WHERE pt.playlist_id = $1", 1000),
        q("SELECT * FROM track WHERE album_id = $1 ORDER BY track_id", 3000),
        q("SELECT invoice_id, total FROM invoice WHERE customer_id = $1 AND invoice_date >= $2", 1000),
        q("SELECT title FROM album WHERE artist_id = $1 ORDER BY title", 1200),
        q("UPDATE customer SET phone = $1 WHERE email = $2", 200),
        q("SELECT count(*) FROM track WHERE unit_price > $1 AND genre_id = $2", 150),
        q("SELECT name, milliseconds FROM track WHERE name LIKE $1", 200),
        q("SELECT invoice_id FROM invoice WHERE billing_city = $1 ORDER BY invoice_date DESC LIMIT 20", 300),
    ]
}

/// One row of the k-budget comparison.
#[derive(Debug, Clone)]
pub struct Budget {
    pub k: usize,
    /// Workload cost reduction (Σ calls × cost) of the advisor's set and of the best subset.
    pub advisor_gain: f64,
    pub optimum_gain: f64,
    pub advisor_indexes: usize,
    pub optimum_indexes: usize,
    pub advisor: Vec<String>,
    pub optimum: Vec<String>,
    pub subsets: usize,
}

impl Budget {
    pub fn fraction(&self) -> f64 {
        if self.optimum_gain <= 0.0 {
            1.0
        } else {
            self.advisor_gain / self.optimum_gain
        }
    }
}

#[derive(Debug, Clone)]
pub struct Report {
    pub scale: f64,
    pub rows: i64,
    pub queries: usize,
    /// Queries with bound values, so timed (all of them on PostgreSQL < 16).
    pub measured: usize,
    pub candidates: usize,
    pub pool: usize,
    pub advice: IndexAdvice,
    pub advisor_time: Duration,
    pub cost_before: f64,
    pub cost_after_hypothetical: f64,
    pub cost_after_real: f64,
    pub time_before_ms: f64,
    pub time_after_ms: f64,
    pub single_before_ms: f64,
    pub single_after_ms: f64,
    pub budgets: Vec<Budget>,
    pub enumeration_time: Duration,
}

async fn open(db: &Database<'_>) -> Connection {
    let params = Params::resolve(&db.conninfo(), &|_| None).unwrap();
    let safety = Safety {
        statement_timeout: Duration::from_secs(120),
        read_only: false,
        ..Safety::default()
    };
    connect::connect(&params, &safety).await.unwrap()
}

/// Σ calls × cost and Σ calls × best-of-3 execution time (ms), plus the one-run sums, of
/// the bound statements. Each ANALYZE runs in a transaction that is rolled back (the UPDATE).
async fn measure(conn: &Connection, bound: &[(String, f64)]) -> (f64, f64, f64) {
    let (mut cost, mut time, mut single) = (0.0, 0.0, 0.0);
    for (sql, calls) in bound {
        let mut best = f64::INFINITY;
        let mut plan_cost = 0.0;
        for _ in 0..3 {
            simple(&conn.client, "BEGIN").await.unwrap();
            let text = simple(
                &conn.client,
                &format!("EXPLAIN (ANALYZE, FORMAT JSON) {sql}"),
            )
            .await
            .unwrap()
            .unwrap();
            simple(&conn.client, "ROLLBACK").await.unwrap();
            let plan = steward_advise::plan::Plan::from_json(serde_json::from_str(&text).unwrap())
                .unwrap();
            best = best.min(plan.execution_ms.unwrap_or(0.0));
            plan_cost = plan.total_cost();
        }
        cost += calls * plan_cost;
        time += calls * best;
        single += best;
    }
    (cost, time, single)
}

/// Runs the benchmark on a database loaded with [`load`].
pub async fn run(db: &Database<'_>, scale: f64) -> Report {
    let conn = open(db).await;
    let workload = workload();
    let options = IndexOptions {
        drops: false,
        ..IndexOptions::default()
    };
    let rows: i64 = db
        .value("SELECT sum(reltuples)::int8 FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace")
        .unwrap_or_default()
        .parse()
        .unwrap_or(0);

    // 1. The advisor, unconstrained, timed.
    let started = Instant::now();
    let advice = advise(&conn, &workload, &options).await.unwrap();
    let advisor_time = started.elapsed();
    assert!(advice.evaluated, "{:?}", advice.notes);

    // 2. Every subset of at most k of the candidates that help on their own, with hypopg.
    let started = Instant::now();
    let client = &conn.client;
    simple(client, "BEGIN READ ONLY").await.unwrap();
    let analysed = analyse_workload(client, &workload).await.unwrap();
    let mut whatif = WhatIf::open(client, &workload, &analysed).await.unwrap();
    let pool = whatif.useful_alone().await.unwrap();
    let overhead = write_overheads(&whatif.candidates, &analysed.model, &options);
    let base = whatif.base_workload_cost();
    let mut budgets = Vec::new();
    for k in 1..=3usize {
        let mut best: (f64, Vec<usize>) = (0.0, Vec::new());
        let mut subsets = 0;
        let mut stack: Vec<Vec<usize>> = vec![Vec::new()];
        // Depth-first over combinations of pool positions, sizes 1..=k.
        while let Some(set) = stack.pop() {
            if !set.is_empty() {
                subsets += 1;
                let members: Vec<usize> = set.iter().map(|&i| pool[i]).collect();
                let cost = whatif.workload_cost(&members).await.unwrap();
                let charged: f64 = members.iter().map(|c| overhead[c]).sum();
                let gain = base - cost - charged;
                // Ties (within 0.1 %) go to the smaller set.
                if gain > best.0 * 1.001 || (gain >= best.0 * 0.999 && members.len() < best.1.len())
                {
                    best = (gain, members);
                }
            }
            if set.len() < k {
                let from = set.last().map_or(0, |l| l + 1);
                for next in from..pool.len() {
                    let mut s = set.clone();
                    s.push(next);
                    stack.push(s);
                }
            }
        }
        let (chosen, _) = whatif
            .select(
                &pool,
                &overhead,
                &IndexOptions {
                    max_indexes: Some(k),
                    ..options.clone()
                },
            )
            .await
            .unwrap();
        let members: Vec<usize> = chosen.iter().map(|(c, _)| *c).collect();
        let cost = whatif.workload_cost(&members).await.unwrap();
        let charged: f64 = members.iter().map(|c| overhead[c]).sum();
        let describe = |set: &[usize], w: &WhatIf| {
            set.iter()
                .map(|&c| w.candidates[c].describe())
                .collect::<Vec<_>>()
        };
        budgets.push(Budget {
            k,
            advisor_gain: base - cost - charged,
            optimum_gain: best.0,
            advisor_indexes: members.len(),
            optimum_indexes: best.1.len(),
            advisor: describe(&members, &whatif),
            optimum: describe(&best.1, &whatif),
            subsets,
        });
    }
    let candidates = whatif.candidates.len();
    // Timed runs need values: every statement here is bound from pg_stats on PostgreSQL < 16.
    let bound: Vec<(String, f64)> = whatif
        .queries
        .iter()
        .filter(|q| {
            matches!(
                q.explainable.binding,
                steward_advise::params::Binding::Representative { .. }
                    | steward_advise::params::Binding::None
            )
        })
        .map(|q| (q.explainable.sql.clone(), q.weight))
        .collect();
    let measured = bound.len();
    whatif.reset().await.unwrap();
    simple(client, "ROLLBACK").await.unwrap();
    let enumeration_time = started.elapsed();

    // 3. Before, the advised indexes built for real, after.
    let (cost_before, time_before_ms, single_before_ms) = measure(&conn, &bound).await;
    for r in &advice.recommendations {
        db.exec(&r.create_sql).unwrap();
    }
    db.exec("VACUUM ANALYZE").unwrap();
    let (cost_after_real, time_after_ms, single_after_ms) = measure(&conn, &bound).await;
    Report {
        scale,
        rows,
        queries: workload.len(),
        measured,
        candidates,
        pool: pool.len(),
        cost_after_hypothetical: advice.workload_cost_after,
        advice,
        advisor_time,
        cost_before,
        cost_after_real,
        time_before_ms,
        time_after_ms,
        single_before_ms,
        single_after_ms,
        budgets,
        enumeration_time,
    }
}

/// The numbers as a table.
pub fn table(r: &Report) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "what-if quality: chinook schema, scale {} ({} rows), {} queries, {} candidates ({} help alone)\n",
        r.scale, r.rows, r.queries, r.candidates, r.pool
    ));
    s.push_str(&format!(
        "advisor: {} indexes in {:.2} s ({} EXPLAINs, order: {})\n",
        r.advice.recommendations.len(),
        r.advisor_time.as_secs_f64(),
        r.advice.explains,
        r.advice.strategy
    ));
    for rec in &r.advice.recommendations {
        s.push_str(&format!(
            "  {}  ({} kB, helps {} queries)\n",
            rec.create_sql,
            rec.estimated_bytes / 1024,
            rec.helps.len()
        ));
    }
    s.push_str(&format!("timed queries: {} of {}\n", r.measured, r.queries));
    s.push_str("\n| workload (Σ calls ×)        | before        | after         | ratio  |\n");
    s.push_str("|-----------------------------|---------------|---------------|--------|\n");
    let row = |name: &str, b: f64, a: f64| {
        format!(
            "| {name:<27} | {b:>13.0} | {a:>13.0} | {:>5.1}% |\n",
            if b > 0.0 { 100.0 * a / b } else { 0.0 }
        )
    };
    s.push_str(&row(
        "plan cost (hypopg estimate)",
        r.advice.workload_cost_before,
        r.cost_after_hypothetical,
    ));
    s.push_str(&row(
        "plan cost (real indexes)",
        r.cost_before,
        r.cost_after_real,
    ));
    s.push_str(&row(
        "execution time, ms",
        r.time_before_ms,
        r.time_after_ms,
    ));
    s.push_str(&format!(
        "| {:<27} | {:>13.1} | {:>13.1} | {:>5.1}% |\n",
        "one run of each query, ms",
        r.single_before_ms,
        r.single_after_ms,
        if r.single_before_ms > 0.0 {
            100.0 * r.single_after_ms / r.single_before_ms
        } else {
            0.0
        }
    ));
    s.push_str(
        "\n| k | advisor gain | optimum gain | fraction | advisor idx | optimum idx | subsets |\n",
    );
    s.push_str(
        "|---|--------------|--------------|----------|-------------|-------------|---------|\n",
    );
    for b in &r.budgets {
        s.push_str(&format!(
            "| {} | {:>12.0} | {:>12.0} | {:>7.1}% | {:>11} | {:>11} | {:>7} |\n",
            b.k,
            b.advisor_gain,
            b.optimum_gain,
            100.0 * b.fraction(),
            b.advisor_indexes,
            b.optimum_indexes,
            b.subsets
        ));
    }
    for b in &r.budgets {
        s.push_str(&format!(
            "k={}: advisor {:?}\n     optimum {:?}\n",
            b.k, b.advisor, b.optimum
        ));
    }
    s.push_str(&format!(
        "subset enumeration (optimum) took {:.2} s\n",
        r.enumeration_time.as_secs_f64()
    ));
    s
}
