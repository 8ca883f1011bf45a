//! The audit is safe on a busy server and costs a constant number of round trips.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::{all_default_ids, chained_tables, cluster};
use std::process::Command;
use std::time::{Duration, Instant};

#[tokio::test]
async fn round_trips_do_not_grow_with_the_schema() {
    let small = cluster().create_database("rt_small").unwrap();
    let large = cluster().create_database("rt_large").unwrap();
    small.exec(&chained_tables(5)).unwrap();
    large.exec(&chained_tables(300)).unwrap();
    let ids = all_default_ids();
    let a = common::audit(&small.conninfo(), &ids, &[]).await;
    let b = common::audit(&large.conninfo(), &ids, &[]).await;
    assert_eq!(a.catalog.queries, steward_pg::catalog::QUERIES.len());
    assert_eq!(a.catalog.queries, b.catalog.queries);
    assert_eq!(
        a.round_trips, b.round_trips,
        "round trips must not depend on the number of tables"
    );
    assert!(
        b.catalog.rows > a.catalog.rows * 20,
        "the large schema really is larger"
    );
    assert!(
        a.report.not_checked.is_empty(),
        "{:?}",
        a.report.not_checked
    );
}

#[tokio::test]
async fn locks_taken_by_writers_and_ddl_do_not_stop_the_audit() {
    let db = cluster().create_database("locked").unwrap();
    db.exec(&chained_tables(3)).unwrap();
    // What ADD FOREIGN KEY / CREATE TRIGGER take, and REFRESH … CONCURRENTLY: none conflicts
    // with the AccessShareLock that reading definitions takes.
    let mut holder = db.session().unwrap();
    holder
        .send("BEGIN; LOCK TABLE t1 IN SHARE ROW EXCLUSIVE MODE; LOCK TABLE t2 IN EXCLUSIVE MODE;")
        .unwrap();
    db.wait_until(
        &holder.in_state("idle in transaction"),
        Duration::from_secs(30),
    )
    .unwrap();
    let run = common::audit(&db.conninfo(), &all_default_ids(), &[]).await;
    assert!(
        run.report.not_checked.is_empty(),
        "{:?}",
        run.report.not_checked
    );
    assert!(run
        .report
        .diagnostics
        .iter()
        .any(|d| d.object.as_deref() == Some("public.t1.parent_id")));

    // Even an ACCESS EXCLUSIVE lock (a migration) on a plain table does not stop it: reading
    // names, columns, keys and indexes takes no lock on the table.
    holder
        .send("ROLLBACK; BEGIN; LOCK TABLE t1 IN ACCESS EXCLUSIVE MODE;")
        .unwrap();
    db.wait_until(
        "SELECT EXISTS (SELECT FROM pg_locks WHERE mode = 'AccessExclusiveLock' AND relation = 't1'::regclass)",
        Duration::from_secs(30),
    )
    .unwrap();
    let run = common::audit(&db.conninfo(), &all_default_ids(), &[]).await;
    assert!(
        run.report.not_checked.is_empty(),
        "{:?}",
        run.report.not_checked
    );

    // Deparsing a CHECK expression opens its table: behind an ACCESS EXCLUSIVE lock the audit
    // gives up after lock_timeout with a clear message instead of queueing, and leaves
    // nothing behind.
    holder.send("ROLLBACK;").unwrap();
    db.wait_until(&holder.in_state("idle"), Duration::from_secs(30))
        .unwrap();
    db.exec("ALTER TABLE t2 ADD CONSTRAINT v_positive CHECK (v > 0)")
        .unwrap();
    holder
        .send("BEGIN; LOCK TABLE t2 IN ACCESS EXCLUSIVE MODE;")
        .unwrap();
    db.wait_until(
        "SELECT EXISTS (SELECT FROM pg_locks WHERE mode = 'AccessExclusiveLock' AND relation = 't2'::regclass)",
        Duration::from_secs(30),
    )
    .unwrap();
    let conn = common::connect(&db.conninfo()).await;
    let started = Instant::now();
    let err = steward_pg::audit::run(
        &conn,
        &steward_pg::audit::AuditOptions {
            enabled: all_default_ids(),
            ..Default::default()
        },
    )
    .await
    .expect_err("the catalog cannot be read past an exclusive lock");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(err.to_string().contains("ACCESS EXCLUSIVE"), "{err}");
    assert_eq!(
        db.value("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE a.application_name = 'steward' AND l.locktype = 'relation'")
            .unwrap(),
        "0"
    );
}

/// pgbench's transactions per second, from its summary line.
fn tps(output: &str) -> f64 {
    output
        .lines()
        .find(|l| l.starts_with("tps = "))
        .and_then(|l| l.split_whitespace().nth(2))
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no tps in pgbench output:\n{output}"))
}

fn pgbench(db: &steward_testkit::Database, args: &[&str]) -> std::process::Child {
    let c = db.cluster;
    Command::new(c.bindir().join("pgbench"))
        .arg("-h")
        .arg(c.socket_dir())
        .args(["-p", &c.port().to_string(), "-U", "postgres"])
        .args(args)
        .arg(&db.name)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("pgbench (Debian: postgresql package)")
}

fn finish(child: std::process::Child) -> String {
    let out = child.wait_with_output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "pgbench failed:\n{text}");
    text
}

#[tokio::test]
async fn audit_under_pgbench_load_disturbs_nothing() {
    let db = cluster().create_database("pgbench").unwrap();
    finish(pgbench(&db, &["-i", "-q", "-s", "2"]));
    let run = ["-c", "4", "-j", "2", "-T", "6", "-n"];
    let baseline = tps(&finish(pgbench(&db, &run)));

    let load = pgbench(&db, &run);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let started = Instant::now();
    let audit = common::audit(&db.conninfo(), &all_default_ids(), &[]).await;
    let audit_time = started.elapsed();
    let output = finish(load);
    let loaded = tps(&output);
    assert!(!output.contains("aborted"), "{output}");
    assert!(
        audit.report.not_checked.is_empty(),
        "{:?}",
        audit.report.not_checked
    );
    assert!(
        audit
            .report
            .diagnostics
            .iter()
            .any(|d| d.rule == "table-without-primary-key"),
        "pgbench_history has no key"
    );
    eprintln!(
        "pgbench: {baseline:.0} tps alone, {loaded:.0} tps with an audit ({audit_time:?}) running"
    );
    assert!(
        loaded >= baseline * 0.75,
        "throughput fell from {baseline:.0} to {loaded:.0} tps while the audit ran"
    );
}
