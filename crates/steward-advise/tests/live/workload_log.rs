//! Server logs end to end: a cluster logging every statement (stderr and csvlog at once), the
//! same application workload, both logs parsed into the same shapes, the N+1 found from
//! session order (offline and with the schema), and no literal from the log in any output.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::workload_common::*;
use std::path::Path;
use std::time::{Duration, Instant};
use steward_advise::nplus1::{Evidence, Strength};
use steward_advise::report::{advise, FindingKind, Options};
use steward_advise::workload::normalise::normalise;
use steward_advise::workload::{log, pgss, Workload, WorkloadError};
use steward_pg::connect::{self, Params, Safety};
use steward_testkit::Cluster;

const LOGGING: &str = "
logging_collector = on
log_destination = 'stderr,csvlog'
log_directory = 'log'
log_filename = 'postgresql.log'
log_min_duration_statement = 0
log_line_prefix = '%m [%p] %c %q%u@%d '
shared_preload_libraries = ''
";

fn wait_for(path: &Path, marker: &str) {
    let started = Instant::now();
    loop {
        if std::fs::read_to_string(path).is_ok_and(|t| t.contains(marker)) {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{} never contained the marker",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn shapes(w: &Workload) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = w
        .queries
        .iter()
        .map(|q| (q.text.clone(), q.calls))
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn stderr_and_csv_logs_give_the_same_workload_and_the_nplus1() {
    let cluster = Cluster::start_with(&steward_testkit::Options {
        settings: LOGGING.to_string(),
        tls: false,
    })
    .unwrap_or_else(|e| panic!("cannot start PostgreSQL: {e}"));
    let db = cluster.create_database("advise_log").unwrap();
    shop(&db);
    // A multi-line statement with literals that must never be printed.
    db.exec(
        "SELECT c.name,\n       count(*)\n  FROM customer c\n  JOIN orders o ON o.customer_id = c.id\n WHERE c.email LIKE '%@secret-domain.example'\n GROUP BY c.name\n LIMIT 5",
    )
    .unwrap();
    let ran = run_workload(&db.conninfo()).await;
    db.exec("SELECT 'steward-log-end'").unwrap();
    let dir = cluster.data_dir().join("log");
    let stderr_log = dir.join("postgresql.log");
    let csv_log = dir.join("postgresql.csv");
    wait_for(&stderr_log, "steward-log-end");
    wait_for(&csv_log, "steward-log-end");

    let bytes = std::fs::metadata(&stderr_log).unwrap().len();
    let started = Instant::now();
    let from_stderr = log::read_file(&stderr_log).unwrap();
    eprintln!(
        "stderr log: {bytes} bytes parsed in {:?}",
        started.elapsed()
    );
    let from_csv = log::read_file(&csv_log).unwrap();
    assert_eq!(shapes(&from_stderr), shapes(&from_csv));
    assert!(
        (from_stderr.total_ms() - from_csv.total_ms()).abs() < 1e-6,
        "{} vs {}",
        from_stderr.total_ms(),
        from_csv.total_ms()
    );

    for w in [&from_stderr, &from_csv] {
        let calls = |text: &str| {
            let s = normalise(text).unwrap().text;
            w.queries
                .iter()
                .find(|q| q.text == s)
                .unwrap_or_else(|| panic!("no shape {s}"))
                .calls
        };
        assert_eq!(calls(PARENT), ran.parent_calls);
        assert_eq!(calls(CHILD), ran.child_calls);
        assert_eq!(calls(PAGE), ran.page_calls);
        assert_eq!(
            calls("SELECT count(*) FROM order_item WHERE product = 'x'"),
            ran.slow_calls
        );
        assert_eq!(
            calls("SELECT c.name, count(*) FROM customer c JOIN orders o ON o.customer_id = c.id WHERE c.email LIKE 'x' GROUP BY c.name LIMIT 5"),
            1
        );
        assert!(w.sessions_identified);
        assert!(w.window.seconds.unwrap() > 0.0);
        assert!(w.skipped.parse_bind > 0, "driver parse/bind lines seen");
    }

    // Offline: the loop from session order alone.
    let rules = steward_rules::registry::all();
    let offline = advise(from_stderr.clone(), None, &rules, Options::default());
    let child = offline
        .workload
        .queries
        .iter()
        .position(|q| q.text == normalise(CHILD).unwrap().text)
        .unwrap();
    let n = offline
        .findings
        .iter()
        .find_map(|f| match &f.kind {
            FindingKind::NPlusOne(n) if n.child == child => Some(n),
            _ => None,
        })
        .unwrap_or_else(|| panic!("{}", offline.to_text()));
    assert_eq!(n.strength, Strength::Medium);
    assert!(n.foreign_key.is_none());
    match &n.evidence {
        Evidence::SessionOrder {
            bursts,
            child_executions,
            varying,
            ..
        } => {
            assert_eq!(*bursts, ran.parent_calls);
            assert_eq!(*child_executions, ran.child_calls);
            assert!(varying);
        }
        other => panic!("{other:?}"),
    }
    assert!(n.batched.as_deref().unwrap().contains("order_id = ANY($1)"));
    let text = offline.to_text();
    assert!(text.contains("weaker evidence"), "{text}");
    assert!(text.contains("offset-pagination"), "{text}");

    // With the schema: the foreign key confirms it and the one-statement rewrite appears.
    let params = Params::resolve(&db.conninfo(), &|_| None).unwrap();
    let conn = connect::connect(&params, &Safety::default()).await.unwrap();
    let (model, _) = steward_pg::catalog::read_model(&conn.client).await.unwrap();
    let live = advise(from_csv.clone(), Some(&model), &rules, Options::default());
    let n = live
        .findings
        .iter()
        .find_map(|f| match &f.kind {
            FindingKind::NPlusOne(n) => Some(n),
            _ => None,
        })
        .unwrap();
    assert_eq!(n.strength, Strength::Strong);
    assert_eq!(
        n.foreign_key.as_deref(),
        Some("public.order_item.order_id → public.orders")
    );
    assert!(n.joined.as_deref().unwrap().contains("SELECT parent.id FROM (SELECT id, status, total FROM orders WHERE customer_id = $1) AS parent"));

    // No literal from the log reaches any output.
    for output in [
        offline.to_text(),
        offline.to_json().to_string(),
        live.to_text(),
        live.to_json().to_string(),
    ] {
        assert!(!output.contains("secret-domain"), "{output}");
        assert!(!output.contains("product-17"), "{output}");
        assert!(!output.contains("steward-log-end"), "{output}");
        assert!(!output.contains("example.com"), "{output}");
    }

    // Not preloaded here: the how-to names every step.
    match pgss::read(&conn.client, "test").await {
        Err(WorkloadError::StatsMissing(how)) => {
            assert!(how.contains("shared_preload_libraries"), "{how}");
            assert!(how.contains("restart"), "{how}");
        }
        other => panic!("expected StatsMissing, got {other:?}"),
    }

    // Throughput: the same log repeated to a few MB.
    let content = std::fs::read(&stderr_log).unwrap();
    let copies = (8 << 20) / content.len().max(1) + 1;
    // In the cluster's own temporary directory, removed with it.
    let big = cluster.socket_dir().join("copies.log");
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&big).unwrap());
        for _ in 0..copies {
            f.write_all(&content).unwrap();
        }
    }
    let size = std::fs::metadata(&big).unwrap().len();
    let started = Instant::now();
    let big_w = log::read_file(&big).unwrap();
    let elapsed = started.elapsed();
    eprintln!(
        "stderr log: {:.1} MB parsed in {:?} ({:.1} MB/s, {} executions)",
        size as f64 / 1e6,
        elapsed,
        size as f64 / 1e6 / elapsed.as_secs_f64(),
        big_w.total_calls()
    );
    // (The log has grown since: steward's own catalog queries are logged too.)
    let one = log::parse(content.as_slice(), log::LogFormat::Stderr, "copy").unwrap();
    assert_eq!(big_w.total_calls(), one.total_calls() * copies as u64);
}
