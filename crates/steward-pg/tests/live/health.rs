//! Every health check against a scenario that really creates the problem, and one that does
//! not. Thresholds are lowered only where the real default needs hours or gigabytes (each
//! such test says so); the threshold is configuration, the measured figure is real.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::{check, cluster, of, on};
use std::time::Duration;
use steward_testkit::{Cluster, Options};

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test]
async fn vacuum_overdue() {
    let db = cluster().create_database("vacuum").unwrap();
    db.exec(
        "CREATE TABLE churn (id int PRIMARY KEY, n int) WITH (autovacuum_enabled = false);
         INSERT INTO churn SELECT g, 0 FROM generate_series(1, 20000) g;
         CREATE TABLE calm (id int PRIMARY KEY, n int);
         INSERT INTO calm SELECT g, 0 FROM generate_series(1, 20000) g;",
    )
    .unwrap();
    db.exec("UPDATE churn SET n = n + 1").unwrap();
    db.exec("UPDATE calm SET n = n + 1").unwrap();
    db.exec("VACUUM calm").unwrap();
    db.wait_until(
        "SELECT n_dead_tup >= 20000 FROM pg_stat_user_tables WHERE relname = 'churn'",
        WAIT,
    )
    .unwrap();
    let report = check(&db.conninfo(), "vacuum-overdue", &[]).await;
    let d = on(&report, "vacuum-overdue", "public.churn").expect("churn has 20000 dead rows");
    assert!(d.message.contains("20000 dead rows"), "{}", d.message);
    assert!(d.help.as_deref().unwrap().contains("switched off"));
    assert!(d
        .fix
        .as_deref()
        .unwrap()
        .contains("RESET (autovacuum_enabled)"));
    let m = d.measured.as_ref().unwrap();
    assert!((m.value - 50.0).abs() < 1.0 && m.threshold == 20.0, "{m:?}");
    assert!(on(&report, "vacuum-overdue", "public.calm").is_none());
}

#[tokio::test]
async fn table_and_index_bloat() {
    let db = cluster().create_database("bloat").unwrap();
    db.exec(
        "CREATE TABLE holey (id int, pad text);
         INSERT INTO holey SELECT g, repeat('x', 100) FROM generate_series(1, 200000) g;
         CREATE INDEX holey_id_idx ON holey (id);
         CREATE TABLE dense (id int, pad text);
         INSERT INTO dense SELECT g, repeat('x', 100) FROM generate_series(1, 200000) g;
         CREATE INDEX dense_id_idx ON dense (id);
         DELETE FROM holey WHERE id % 10 <> 0;",
    )
    .unwrap();
    db.exec("VACUUM ANALYZE holey").unwrap();
    db.exec("VACUUM ANALYZE dense").unwrap();
    // The tables are ~27 MB, below the 50 MB default; the ratio threshold stays at its default.
    let lowered = [("table-bloat", "min-bytes", 1e6)];
    let report = check(&db.conninfo(), "table-bloat", &lowered).await;
    let d = on(&report, "table-bloat", "public.holey").expect("90% of holey was deleted");
    assert!(d.message.contains("estimated"), "{}", d.message);
    let ratio = d.measured.as_ref().unwrap().value;
    assert!(
        (80.0..95.0).contains(&ratio),
        "estimate {ratio}% for 90% deleted"
    );
    assert!(
        on(&report, "table-bloat", "public.dense").is_none(),
        "a fresh table is not bloated"
    );

    let lowered = [("index-bloat", "min-bytes", 1e6)];
    let report = check(&db.conninfo(), "index-bloat", &lowered).await;
    let d =
        on(&report, "index-bloat", "public.holey_id_idx").expect("holey's index kept its pages");
    assert_eq!(
        d.fix.as_deref(),
        Some("REINDEX INDEX CONCURRENTLY public.holey_id_idx;")
    );
    assert!(on(&report, "index-bloat", "public.dense_id_idx").is_none());
    // With the default thresholds neither small table is worth a finding.
    assert!(of(
        &check(&db.conninfo(), "table-bloat", &[]).await,
        "table-bloat"
    )
    .is_empty());
}

#[tokio::test]
async fn xid_wraparound() {
    let db = cluster().create_database("xid").unwrap();
    db.exec("CREATE TABLE aging (id int)").unwrap();
    // Real ages near a billion take days to produce; age 40 is real, the threshold is lowered.
    let conn = common::connect(&db.conninfo()).await;
    for _ in 0..40 {
        conn.client
            .batch_execute("BEGIN READ WRITE; SELECT txid_current(); COMMIT")
            .await
            .unwrap();
    }
    let report = check(
        &db.conninfo(),
        "xid-wraparound",
        &[("xid-wraparound", "max-age", 30.0)],
    )
    .await;
    let d = on(&report, "xid-wraparound", "public.aging").expect("the table is 40+ xids old");
    assert!(d.measured.as_ref().unwrap().value >= 40.0);
    assert_eq!(
        d.severity,
        steward_core::Severity::Warning,
        "far from the hard limit"
    );
    assert!(of(&report, "xid-wraparound")
        .iter()
        .any(|d| d.object.as_deref() == Some(db.name.as_str())));
    let report = check(&db.conninfo(), "xid-wraparound", &[]).await;
    assert!(of(&report, "xid-wraparound").is_empty());
}

#[tokio::test]
async fn sequence_exhaustion() {
    let db = cluster().create_database("seq").unwrap();
    db.exec(
        "CREATE TABLE small_key (id serial PRIMARY KEY);
         SELECT setval('small_key_id_seq', 2000000000);
         CREATE SEQUENCE wide_seq;
         CREATE TABLE narrow_column (id int DEFAULT nextval('wide_seq'));
         SELECT setval('wide_seq', 1900000000);
         CREATE TABLE big_key (id bigserial PRIMARY KEY);
         SELECT setval('big_key_id_seq', 1900000000);
         CREATE SEQUENCE unused_seq;",
    )
    .unwrap();
    let report = check(&db.conninfo(), "sequence-exhaustion", &[]).await;
    let d = on(&report, "sequence-exhaustion", "public.small_key_id_seq").expect("93% of int4");
    assert!(d.message.contains("93%"), "{}", d.message);
    assert!(d
        .fix
        .as_deref()
        .unwrap()
        .contains("ALTER TABLE public.small_key ALTER COLUMN id TYPE bigint"));
    let d = on(&report, "sequence-exhaustion", "public.wide_seq")
        .expect("a bigint sequence feeding an integer column is bound by the column");
    assert!(
        d.message.contains("integer column public.narrow_column.id"),
        "{}",
        d.message
    );
    assert!(on(&report, "sequence-exhaustion", "public.big_key_id_seq").is_none());
    assert!(on(&report, "sequence-exhaustion", "public.unused_seq").is_none());
}

#[tokio::test]
async fn sessions_idle_long_running_and_blocked() {
    let db = cluster().create_database("sessions").unwrap();
    db.exec("CREATE TABLE contended (id int)").unwrap();
    let ids = [
        "idle-in-transaction",
        "long-running-query",
        "blocked-queries",
    ];
    // Nothing is going on yet.
    let run = common::audit(
        &db.conninfo(),
        &ids,
        &[
            ("idle-in-transaction", "max-seconds", 0.0),
            ("long-running-query", "max-seconds", 0.0),
            ("blocked-queries", "min-seconds", 0.0),
        ],
    )
    .await;
    assert!(
        run.report.diagnostics.is_empty(),
        "{:#?}",
        run.report.diagnostics
    );

    let mut holder = db.session().unwrap();
    holder
        .send("BEGIN; LOCK TABLE contended IN ACCESS EXCLUSIVE MODE;")
        .unwrap();
    db.wait_until(&holder.in_state("idle in transaction"), WAIT)
        .unwrap();
    let mut waiter = db.session().unwrap();
    waiter.send("SELECT count(*) FROM contended;").unwrap();
    let mut sleeper = db.session().unwrap();
    sleeper.send("SELECT pg_sleep(30);").unwrap();
    db.wait_until(
        &format!(
            "SELECT count(*) = 2 FROM pg_stat_activity WHERE state = 'active' AND application_name IN ('{}', '{}')",
            waiter.application_name, sleeper.application_name
        ),
        WAIT,
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(1100));
    let pid = |app: &str| {
        db.value(&format!(
            "SELECT pid FROM pg_stat_activity WHERE application_name = '{app}'"
        ))
        .unwrap()
    };
    let (holder_pid, waiter_pid, sleeper_pid) = (
        pid(&holder.application_name),
        pid(&waiter.application_name),
        pid(&sleeper.application_name),
    );
    // Seconds-long states are real; the defaults (minutes) are lowered to one second.
    let run = common::audit(
        &db.conninfo(),
        &ids,
        &[
            ("idle-in-transaction", "max-seconds", 1.0),
            ("long-running-query", "max-seconds", 1.0),
            ("blocked-queries", "min-seconds", 1.0),
        ],
    )
    .await;
    let r = &run.report;
    let idle = on(r, "idle-in-transaction", &format!("pid {holder_pid}"))
        .expect("holder is idle in transaction");
    assert!(idle
        .fix
        .as_deref()
        .unwrap()
        .contains(&format!("pg_terminate_backend({holder_pid})")));
    assert!(
        !idle.message.contains("LOCK TABLE"),
        "query texts are never shown"
    );
    let long =
        on(r, "long-running-query", &format!("pid {sleeper_pid}")).expect("the sleeper runs");
    assert!(
        long.message.contains("running a SELECT"),
        "{}",
        long.message
    );
    let blocked =
        on(r, "blocked-queries", &format!("pid {waiter_pid}")).expect("the waiter is blocked");
    assert!(
        blocked
            .message
            .contains(&format!("held by session {holder_pid}")),
        "{}",
        blocked.message
    );
    // The blocked waiter is active too, but the sleeper is the only other long statement.
    assert!(on(r, "long-running-query", &format!("pid {holder_pid}")).is_none());
    // With the default thresholds a second is nothing.
    let run = common::audit(&db.conninfo(), &ids, &[]).await;
    assert!(
        run.report.diagnostics.is_empty(),
        "{:#?}",
        run.report.diagnostics
    );
}

#[tokio::test]
async fn connection_saturation() {
    let db = cluster().create_database("conns").unwrap();
    let report = check(&db.conninfo(), "connection-saturation", &[]).await;
    assert!(
        of(&report, "connection-saturation").is_empty(),
        "a few of 197 connections"
    );
    let _sessions: Vec<_> = (0..3).map(|_| db.session().unwrap()).collect();
    // Filling 160 connections for real would starve the other tests; 3+ of 197 is real.
    let report = check(
        &db.conninfo(),
        "connection-saturation",
        &[("connection-saturation", "max-ratio", 0.01)],
    )
    .await;
    let d = on(&report, "connection-saturation", "max_connections").expect("over 1%");
    assert!(d.message.contains("of 197 connections"), "{}", d.message);
}

#[tokio::test]
async fn inactive_replication_slot() {
    let db = cluster().create_database("slots").unwrap();
    let reserved = format!("reserved_{}", db.name);
    let lazy = format!("lazy_{}", db.name);
    db.exec(&format!(
        "SELECT pg_create_physical_replication_slot('{reserved}', true);
         SELECT pg_create_physical_replication_slot('{lazy}', false);"
    ))
    .unwrap();
    let report = check(&db.conninfo(), "inactive-replication-slot", &[]).await;
    let d =
        on(&report, "inactive-replication-slot", &reserved).expect("an unused slot holding WAL");
    assert!(d
        .fix
        .as_deref()
        .unwrap()
        .contains(&format!("pg_drop_replication_slot('{reserved}')")));
    assert!(
        on(&report, "inactive-replication-slot", &lazy).is_none(),
        "a slot that reserves nothing"
    );
    db.exec(&format!(
        "SELECT pg_drop_replication_slot('{reserved}'); SELECT pg_drop_replication_slot('{lazy}');"
    ))
    .unwrap();
    let report = check(&db.conninfo(), "inactive-replication-slot", &[]).await;
    assert!(on(&report, "inactive-replication-slot", &reserved).is_none());
}

#[tokio::test]
async fn replication_lag() {
    let primary = Cluster::start().unwrap();
    let standby = primary.start_standby().unwrap();
    let db = primary.create_database("lag").unwrap();
    db.wait_until(
        "SELECT count(*) = 1 FROM pg_stat_replication WHERE state = 'streaming'",
        WAIT,
    )
    .unwrap();
    let report = check(&db.conninfo(), "replication-lag", &[]).await;
    assert!(
        of(&report, "replication-lag").is_empty(),
        "a streaming standby in sync"
    );

    standby
        .psql("postgres", "SELECT pg_wal_replay_pause()")
        .unwrap();
    db.exec("CREATE TABLE filler AS SELECT g FROM generate_series(1, 100000) g")
        .unwrap();
    db.wait_until(
        "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) > 1000000 FROM pg_stat_replication",
        WAIT,
    )
    .unwrap();
    // Megabytes of real lag; the default (256 MB) is lowered.
    let report = check(
        &db.conninfo(),
        "replication-lag",
        &[("replication-lag", "max-bytes", 1e6)],
    )
    .await;
    let d = of(&report, "replication-lag");
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(
        d[0].message.contains("behind in replay"),
        "{}",
        d[0].message
    );
    assert_eq!(d[0].measured.as_ref().unwrap().unit, "bytes");

    // On the standby the check says where to look instead.
    let run = common::audit(&standby.conninfo("postgres"), &["replication-lag"], &[]).await;
    assert!(
        run.report.not_checked.iter().any(|n| n.contains("standby")),
        "{:?}",
        run.report.not_checked
    );
}

#[tokio::test]
async fn temp_file_spill() {
    let db = cluster().create_database("spill").unwrap();
    let report = check(
        &db.conninfo(),
        "temp-file-spill",
        &[("temp-file-spill", "min-bytes", 1.0)],
    )
    .await;
    assert!(
        of(&report, "temp-file-spill").is_empty(),
        "nothing spilled yet"
    );
    db.exec(
        "SET work_mem = '64kB';
         SELECT count(*) FROM (SELECT g FROM generate_series(1, 300000) g ORDER BY g DESC) s;",
    )
    .unwrap();
    db.wait_until(
        "SELECT temp_bytes > 0 FROM pg_stat_database WHERE datname = current_database()",
        WAIT,
    )
    .unwrap();
    // Megabytes spilled for real; the default (1 GB) is lowered.
    let report = check(
        &db.conninfo(),
        "temp-file-spill",
        &[("temp-file-spill", "min-bytes", 1.0)],
    )
    .await;
    let d = on(&report, "temp-file-spill", &db.name).expect("the sort spilled");
    assert!(d.message.contains("temporary files"), "{}", d.message);
    let report = check(&db.conninfo(), "temp-file-spill", &[]).await;
    assert!(of(&report, "temp-file-spill").is_empty());
}

#[tokio::test]
async fn stats_extension_missing() {
    let db = cluster().create_database("pgss").unwrap();
    let report = check(&db.conninfo(), "stats-extension-missing", &[]).await;
    let d = on(&report, "stats-extension-missing", &db.name).expect("loaded but not created");
    assert_eq!(
        d.fix.as_deref(),
        Some("CREATE EXTENSION IF NOT EXISTS pg_stat_statements;")
    );
    db.exec("CREATE EXTENSION pg_stat_statements").unwrap();
    let report = check(&db.conninfo(), "stats-extension-missing", &[]).await;
    assert!(of(&report, "stats-extension-missing").is_empty());
}

#[tokio::test]
async fn risky_settings_and_cache_and_ssl_on_a_small_open_server() {
    // A server with a tiny cache, listening on every interface without TLS, durability off.
    let small = Cluster::start_with(&Options {
        settings: "shared_buffers = 2MB\nlisten_addresses = '*'\n".into(),
        tls: false,
    })
    .unwrap();
    let db = small.create_database("small").unwrap();
    db.exec(
        "CREATE TABLE big (id int, pad text);
         INSERT INTO big SELECT g, repeat('y', 40) FROM generate_series(1, 100000) g;",
    )
    .unwrap();
    db.exec("SELECT pg_stat_reset()").unwrap();
    for _ in 0..3 {
        db.exec("SELECT count(*) FROM big").unwrap();
    }
    db.wait_until(
        "SELECT blks_read > 1000 FROM pg_stat_database WHERE datname = current_database()",
        WAIT,
    )
    .unwrap();
    let run = common::audit(
        &db.conninfo(),
        &["cache-hit-ratio", "risky-setting", "ssl-off"],
        // A few thousand real reads; the 100000-block evidence floor is lowered.
        &[("cache-hit-ratio", "min-blocks", 1000.0)],
    )
    .await;
    let r = &run.report;
    let cache = on(r, "cache-hit-ratio", &db.name).expect("a 2 MB cache misses a 7 MB table");
    assert!(cache.measured.as_ref().unwrap().value < 99.0);
    let fsync = on(r, "risky-setting", "fsync").expect("fsync is off in this cluster");
    assert_eq!(fsync.severity, steward_core::Severity::Error);
    assert!(on(r, "risky-setting", "shared_buffers").is_some());
    assert!(
        on(r, "ssl-off", "ssl").is_some(),
        "listening on * without TLS"
    );
}

#[tokio::test]
async fn a_durable_tls_server_has_no_risky_settings_and_checkpoint_pressure_is_measured() {
    let durable = Cluster::start_with(&Options {
        settings:
            "fsync = on\nsynchronous_commit = on\nfull_page_writes = on\nlog_lock_waits = on\n\
                   log_min_duration_statement = 1000\nlisten_addresses = '*'\n"
                .into(),
        tls: true,
    })
    .unwrap();
    let db = durable.create_database("durable").unwrap();
    db.exec("SELECT pg_stat_reset_shared('bgwriter')").unwrap();
    let ids = [
        "risky-setting",
        "ssl-off",
        "checkpoint-pressure",
        "cache-hit-ratio",
    ];
    let run = common::audit(
        &db.conninfo(),
        &ids,
        &[("checkpoint-pressure", "min-checkpoints", 3.0)],
    )
    .await;
    assert!(
        run.report.diagnostics.is_empty(),
        "{:#?}",
        run.report.diagnostics
    );
    assert!(run.report.not_checked.is_empty());

    for _ in 0..3 {
        db.exec("CHECKPOINT").unwrap();
    }
    db.wait_until("SELECT checkpoints_req >= 3 FROM pg_stat_bgwriter", WAIT)
        .unwrap();
    // Three forced checkpoints and no timed one; the evidence floor (10) is lowered to 3.
    let report = check(
        &db.conninfo(),
        "checkpoint-pressure",
        &[("checkpoint-pressure", "min-checkpoints", 3.0)],
    )
    .await;
    let d = on(&report, "checkpoint-pressure", "max_wal_size").expect("all checkpoints requested");
    assert!(
        d.message.starts_with("100% of checkpoints"),
        "{}",
        d.message
    );
    let report = check(&db.conninfo(), "checkpoint-pressure", &[]).await;
    assert!(
        of(&report, "checkpoint-pressure").is_empty(),
        "3 checkpoints are too few to judge"
    );
}
