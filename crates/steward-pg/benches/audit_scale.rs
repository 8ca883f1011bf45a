//! `cargo bench -p steward-pg --bench audit_scale [-- TABLES]`: creates TABLES (default
//! 10,000) tables chained by foreign keys, each with a primary key and a secondary index, in a
//! throwaway cluster, then times `steward audit` (every default rule and live check) after
//! connecting. Goal: under 2 s for 10,000 tables, with the same number of round trips as for
//! 10 tables.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};
use steward_pg::audit::{AuditOptions, AuditRun};
use steward_pg::connect::{connect, Params};
use steward_testkit::{Cluster, Options};

fn ddl(n: usize) -> String {
    let mut sql = String::from("CREATE TABLE t0 (id serial PRIMARY KEY, v int);\n");
    for i in 1..n {
        sql.push_str(&format!(
            "CREATE TABLE t{i} (id serial PRIMARY KEY, parent_id int REFERENCES t{} (id), v int);\nCREATE INDEX t{i}_v_idx ON t{i} (v);\n",
            i - 1
        ));
    }
    sql
}

fn enabled() -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = steward_rules::registry::all()
        .into_iter()
        .map(|r| r.meta())
        .filter(|m| m.default_enabled && m.scope == steward_rules::rule::Scope::Schema)
        .map(|m| m.id)
        .collect();
    ids.extend(steward_pg::checks::all().iter().map(|c| c.meta().id));
    ids
}

async fn audit(conninfo: &str) -> (Duration, AuditRun) {
    let params = Params::resolve(conninfo, &|_| None).unwrap();
    let conn = connect(&params, &Default::default()).await.unwrap();
    let options = AuditOptions {
        enabled: enabled(),
        ..Default::default()
    };
    let started = Instant::now();
    let run = steward_pg::audit::run(&conn, &options).await.unwrap();
    (started.elapsed(), run)
}

fn main() {
    let tables: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10_000);
    // pg_dump-sized lock table: creating 10,000 tables with sequences in one run needs it.
    let cluster = Cluster::start_with(&Options {
        settings: "max_locks_per_transaction = 256\n".into(),
        tls: false,
    })
    .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for n in [10, tables] {
        let db = cluster.create_database(&format!("scale{n}")).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("schema.sql");
        std::fs::write(&file, ddl(n)).unwrap();
        let started = Instant::now();
        db.load_file(&file).unwrap();
        db.exec("ANALYZE").unwrap();
        let load = started.elapsed();
        let mut times = Vec::new();
        let mut last = None;
        for _ in 0..3 {
            let (t, run) = runtime.block_on(audit(&db.conninfo()));
            times.push(t);
            last = Some(run);
        }
        times.sort();
        let run = last.unwrap();
        println!(
            "{n:>6} tables: audit {:>7.1} ms (median of 3; catalog {:.1} ms, {} rows), {} round trips, {} catalog queries, {} findings (schema loaded in {:.1} s)",
            times[1].as_secs_f64() * 1000.0,
            run.catalog.elapsed.as_secs_f64() * 1000.0,
            run.catalog.rows,
            run.round_trips,
            run.catalog.queries,
            run.report.diagnostics.len(),
            load.as_secs_f64()
        );
        let mut slow: Vec<(String, Duration)> = run
            .catalog
            .per_query
            .iter()
            .map(|(q, t)| (format!("catalog {q}"), *t))
            .chain(run.timings.iter().map(|(q, t)| (q.to_string(), *t)))
            .collect();
        slow.sort_by_key(|s| std::cmp::Reverse(s.1));
        let top: Vec<String> = slow
            .iter()
            .take(6)
            .map(|(q, t)| format!("{q} {:.0} ms", t.as_secs_f64() * 1000.0))
            .collect();
        println!("        slowest: {}", top.join(", "));
    }
}
