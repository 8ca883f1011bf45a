//! `steward backup drill`: point-in-time recovery, proven end to end on a throwaway cluster
//! built from this machine's PostgreSQL binaries — the same tools (pg_basebackup, WAL
//! archiving, restore_command, recovery targets) a real recovery uses.

use crate::BackupError;
use std::time::{Duration, Instant};
use steward_testkit::{server_writable_dir, Cluster, Options};

/// What the drill did and what it proved.
#[derive(Debug, Clone)]
pub struct DrillReport {
    /// Each step and how long it took.
    pub steps: Vec<(String, Duration)>,
    pub recovery_target: String,
    /// Rows committed before the recovery target (what a correct recovery must show).
    pub expected_rows: i64,
    /// Rows the recovered server shows.
    pub recovered_rows: i64,
    /// Rows in the base backup alone (recovery must have replayed archived WAL past them).
    pub base_backup_rows: i64,
}

impl DrillReport {
    pub fn ok(&self) -> bool {
        self.recovered_rows == self.expected_rows && self.expected_rows > self.base_backup_rows
    }
}

fn tk(what: &str) -> impl Fn(steward_testkit::Error) -> BackupError + '_ {
    move |e| BackupError::Tool(format!("{what}: {e}"))
}

pub fn drill() -> Result<DrillReport, BackupError> {
    let mut steps = Vec::new();
    let mut step = |name: &str, started: Instant| steps.push((name.to_string(), started.elapsed()));

    let t = Instant::now();
    let archive =
        server_writable_dir("steward-wal-archive-").map_err(tk("creating the WAL archive"))?;
    let arch = archive.path().display().to_string();
    let source = Cluster::start_with(&Options {
        settings: format!(
            "wal_level = replica\narchive_mode = on\narchive_command = 'test ! -f {arch}/%f && cp %p {arch}/%f'\n"
        ),
        tls: false,
    })
    .map_err(tk("starting the source cluster"))?;
    let db = source
        .create_database("drill")
        .map_err(tk("creating the drill database"))?;
    db.exec(
        "CREATE TABLE ledger (id serial PRIMARY KEY, note text NOT NULL);
         INSERT INTO ledger (note) SELECT 'before the base backup ' || g FROM generate_series(1, 1000) g;",
    )
    .map_err(tk("writing the first rows"))?;
    step("start a cluster with WAL archiving, write 1000 rows", t);

    let t = Instant::now();
    let base = source.base_backup().map_err(tk("pg_basebackup"))?;
    step("pg_basebackup", t);

    let t = Instant::now();
    db.exec("INSERT INTO ledger (note) SELECT 'after the base backup ' || g FROM generate_series(1, 500) g")
        .map_err(tk("writing more rows"))?;
    let target = db
        .value("SELECT clock_timestamp()::text")
        .map_err(tk("reading the recovery target time"))?;
    std::thread::sleep(Duration::from_millis(1100));
    // The mistake to recover from.
    db.exec("DELETE FROM ledger")
        .map_err(tk("the mistaken DELETE"))?;
    let wal = db
        .value("SELECT pg_walfile_name(pg_switch_wal())")
        .map_err(tk("switching WAL"))?;
    db.wait_until(
        &format!("SELECT last_archived_wal >= '{wal}' FROM pg_stat_archiver"),
        Duration::from_secs(60),
    )
    .map_err(tk("waiting for the WAL to be archived"))?;
    step(
        "write 500 more rows, note the time, DELETE everything, archive the WAL",
        t,
    );

    let t = Instant::now();
    base.start_recovery(&format!(
        "restore_command = 'cp {arch}/%f %p'\nrecovery_target_time = '{target}'\nrecovery_target_action = 'promote'"
    ))
    .map_err(tk("starting the restored cluster"))?;
    base.psql("postgres", "SELECT 1")
        .map_err(tk("connecting to the restored cluster"))?;
    let restored = steward_testkit::Database {
        cluster: &base,
        name: db.name.clone(),
    };
    restored
        .wait_until("SELECT NOT pg_is_in_recovery()", Duration::from_secs(60))
        .map_err(tk("waiting for recovery to reach its target"))?;
    let count = |what: &str| -> Result<i64, BackupError> {
        restored
            .value(what)
            .map_err(tk("counting recovered rows"))?
            .trim()
            .parse()
            .map_err(|_| BackupError::Tool("unexpected row count".into()))
    };
    let recovered_rows = count("SELECT count(*) FROM ledger")?;
    step(
        "restore the base backup with recovery_target_time, replay archived WAL, promote",
        t,
    );
    Ok(DrillReport {
        steps,
        recovery_target: target,
        expected_rows: 1500,
        recovered_rows,
        base_backup_rows: 1000,
    })
}
