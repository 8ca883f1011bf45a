#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The kit itself: a cluster starts, databases are fresh and separate, sessions hold state.

use std::time::Duration;
use steward_testkit::Cluster;

fn cluster() -> &'static Cluster {
    Cluster::shared().unwrap_or_else(|e| panic!("cannot start PostgreSQL: {e}"))
}

#[test]
fn databases_are_fresh_and_separate() {
    let c = cluster();
    assert!(c.major_version() >= 13, "version {}", c.major_version());
    let a = c.create_database("kit").unwrap();
    let b = c.create_database("kit").unwrap();
    assert_ne!(a.name, b.name);
    a.exec("CREATE TABLE t (id int); INSERT INTO t VALUES (1), (2)")
        .unwrap();
    assert_eq!(a.value("SELECT count(*) FROM t").unwrap(), "2");
    assert!(
        b.exec("SELECT count(*) FROM t").is_err(),
        "b must not see a's table"
    );
    assert_eq!(
        a.value("SELECT count(*) FROM pg_extension WHERE extname = 'plpgsql'")
            .unwrap(),
        "1"
    );
    // pg_stat_statements is preloaded, so the extension can be created.
    a.exec("CREATE EXTENSION pg_stat_statements").unwrap();
    assert_eq!(
        a.value("SHOW shared_preload_libraries").unwrap(),
        "pg_stat_statements"
    );
}

#[test]
fn sessions_hold_transactions_open_until_dropped() {
    let db = cluster().create_database("kit").unwrap();
    db.exec("CREATE TABLE t (id int)").unwrap();
    let mut s = db.session().unwrap();
    s.send("BEGIN; LOCK TABLE t IN ACCESS EXCLUSIVE MODE;")
        .unwrap();
    db.wait_until(&s.in_state("idle in transaction"), Duration::from_secs(10))
        .unwrap();
    let locks = format!(
        "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE a.application_name = '{}' AND l.mode = 'AccessExclusiveLock'",
        s.application_name
    );
    assert_eq!(db.value(&locks).unwrap(), "1");
    drop(s);
    db.wait_until(
        "SELECT NOT EXISTS (SELECT FROM pg_locks WHERE mode = 'AccessExclusiveLock' AND relation = 't'::regclass)",
        Duration::from_secs(10),
    )
    .unwrap();
}

#[test]
fn tcp_needs_the_password() {
    let c = cluster();
    let out = std::process::Command::new(c.bindir().join("psql"))
        .args([
            "-X",
            "-w",
            "-h",
            "127.0.0.1",
            "-p",
            &c.port().to_string(),
            "-U",
            "postgres",
            "-c",
            "SELECT 1",
        ])
        .env_remove("PGPASSWORD")
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "TCP without a password must be refused"
    );
    let out = std::process::Command::new(c.bindir().join("psql"))
        .args(["-X", "-tA", &c.tcp_url("postgres"), "-c", "SELECT 1"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "1",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn an_owned_cluster_is_removed_on_drop() {
    let c = Cluster::start().unwrap();
    let dir = c.data_dir();
    assert!(dir.join("PG_VERSION").exists());
    drop(c);
    assert!(!dir.exists());
}
