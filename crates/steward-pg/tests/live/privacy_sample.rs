//! Value sampling on a real server: it reads only what the role may read, stops at its time
//! box when a table is locked, and leaves nothing behind.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{cluster, connect};
use std::time::{Duration, Instant};
use steward_pg::privacy::sample::{sample, Outcome, SampleOptions};

#[tokio::test]
async fn sampling_reports_unreadable_and_locked_tables_as_not_sampled() {
    let db = cluster().create_database("sample_skip").unwrap();
    let t = db.name.clone();
    db.exec(&format!(
        "CREATE TABLE open_t (id int, email text);
         CREATE TABLE secret_t (id int, email text);
         CREATE TABLE busy_t (id int, email text);
         INSERT INTO open_t SELECT i, 'user' || i || '@example.com' FROM generate_series(1, 30) i;
         INSERT INTO secret_t SELECT * FROM open_t;
         INSERT INTO busy_t SELECT * FROM open_t;
         CREATE ROLE r_{t} LOGIN;
         GRANT SELECT ON open_t, busy_t TO r_{t};"
    ))
    .unwrap();
    let mut holder = db.session().unwrap();
    holder
        .send("BEGIN; LOCK TABLE busy_t IN ACCESS EXCLUSIVE MODE;")
        .unwrap();
    db.wait_until(
        &holder.in_state("idle in transaction"),
        Duration::from_secs(10),
    )
    .unwrap();

    let conn = connect(&format!("{} user=r_{t}", db.conninfo())).await;
    let (model, _) = steward_pg::catalog::read_model(&conn.client).await.unwrap();
    let options = SampleOptions {
        rows: 20,
        per_table: Duration::from_millis(300),
        total: Duration::from_secs(30),
    };
    let started = Instant::now();
    let samples = sample(&conn.client, &model, &options).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    let outcome = |table: &str| {
        &samples
            .iter()
            .find(|s| s.table.name == table && s.column == "email")
            .unwrap()
            .outcome
    };
    match outcome("open_t") {
        Outcome::Sampled { rows, findings } => {
            assert_eq!(*rows, 20);
            assert_eq!(findings[0].kind.id(), "email");
        }
        other => panic!("{other:?}"),
    }
    match outcome("secret_t") {
        Outcome::Skipped(why) => assert!(why.contains("permission denied"), "{why}"),
        other => panic!("{other:?}"),
    }
    match outcome("busy_t") {
        Outcome::Skipped(why) => assert!(why.contains("300 ms time box"), "{why}"),
        other => panic!("{other:?}"),
    }
    // Every read was rolled back: no transaction is left open (SAVEPOINT needs one).
    let err = conn
        .client
        .batch_execute("SAVEPOINT probe")
        .await
        .unwrap_err();
    assert!(
        steward_pg::error_text(&err).contains("transaction blocks"),
        "{err}"
    );
    drop(holder);
    drop(conn);
    db.exec(&format!("DROP OWNED BY r_{t}; DROP ROLE r_{t};"))
        .unwrap();
}
