//! The point-in-time-recovery checks (`steward backup pitr-check`) on servers that really
//! archive, fail to archive, or do not archive at all.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::{cluster, of, on};
use std::time::Duration;
use steward_testkit::{server_writable_dir, Cluster, Options};

const IDS: [&str; 3] = ["pitr-not-configured", "archive-failing", "archive-stale"];

#[tokio::test]
async fn no_archiving_means_no_pitr() {
    let db = cluster().create_database("nopitr").unwrap();
    let run = common::audit(&db.conninfo(), &IDS, &[]).await;
    let d = on(&run.report, "pitr-not-configured", "archive_mode")
        .expect("the test cluster does not archive");
    assert!(d.message.contains("archive_mode = off"), "{}", d.message);
    assert!(of(&run.report, "archive-failing").is_empty());
}

#[tokio::test]
async fn working_and_failing_archives() {
    let archive = server_writable_dir("steward-test-archive-").unwrap();
    let arch = archive.path().display();
    let working = Cluster::start_with(&Options {
        settings: format!("archive_mode = on\narchive_command = 'cp %p {arch}/%f'\n"),
        tls: false,
    })
    .unwrap();
    let failing = Cluster::start_with(&Options {
        settings: "archive_mode = on\narchive_command = 'false'\n".into(),
        tls: false,
    })
    .unwrap();
    for c in [&working, &failing] {
        for _ in 0..3 {
            c.psql("postgres", "CREATE TABLE IF NOT EXISTS w (i int); INSERT INTO w VALUES (1); SELECT pg_switch_wal();")
                .unwrap();
        }
    }
    let w = working.create_database("archiving").unwrap();
    w.wait_until(
        "SELECT archived_count >= 3 FROM pg_stat_archiver",
        Duration::from_secs(30),
    )
    .unwrap();
    let f = failing.create_database("archiving").unwrap();
    f.wait_until(
        "SELECT failed_count >= 1 FROM pg_stat_archiver",
        Duration::from_secs(30),
    )
    .unwrap();

    // Segments waiting for seconds, not the hour the default needs.
    let lowered = [("archive-stale", "max-age-seconds", 0.0)];
    let run = common::audit(&w.conninfo(), &IDS, &lowered).await;
    assert!(
        run.report.diagnostics.is_empty(),
        "{:#?}",
        run.report.diagnostics
    );

    let run = common::audit(&f.conninfo(), &IDS, &lowered).await;
    let r = &run.report;
    let d = on(r, "archive-failing", "archive_command").expect("archive_command = false");
    assert_eq!(d.severity, steward_core::Severity::Error);
    let stale = on(r, "archive-stale", "archive_command").expect("three switched segments wait");
    assert!(
        stale.message.contains("nothing has been archived"),
        "{}",
        stale.message
    );
    assert!(
        on(r, "pitr-not-configured", "archive_mode").is_none(),
        "archiving is configured, just failing"
    );
}
