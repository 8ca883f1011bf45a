//! `steward explain` end to end, and every command's output into a closed pipe.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Stdio};
use steward_testkit::Cluster;

fn steward(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_steward"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn explain_names_the_problem_node_and_never_writes() {
    let cluster = Cluster::shared().unwrap_or_else(|e| panic!("cannot start PostgreSQL: {e}"));
    let db = cluster.create_database("cli_explain").unwrap();
    db.exec(
        "CREATE TABLE event (id bigint PRIMARY KEY, kind text, payload text);
         INSERT INTO event SELECT i, 'k' || (i % 50), md5(i::text) FROM generate_series(1, 200000) i;
         ANALYZE event;",
    )
    .unwrap();
    let url = db.conninfo();
    let (code, text, err) = steward(&["explain", &url, "SELECT id FROM event WHERE payload = 'x'"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(text.contains("seq-scan-selective"), "{text}");
    assert!(text.contains("Seq Scan on event"), "{text}");
    assert!(
        text.contains("CREATE INDEX CONCURRENTLY ON public.event (payload)"),
        "{text}"
    );

    let (code, json, err) = steward(&[
        "explain",
        &url,
        "SELECT count(*) FROM event",
        "-f",
        "json",
        "--analyze",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["analyzed"], true);
    assert!(doc["execution_ms"].as_f64().unwrap() > 0.0);

    // A write is executed by ANALYZE only with --allow-writes, and then rolled back.
    let (code, _, err) = steward(&["explain", &url, "--analyze", "DELETE FROM event"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--allow-writes"), "{err}");
    let (code, _, err) = steward(&[
        "explain",
        &url,
        "--analyze",
        "--allow-writes",
        "DELETE FROM event",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(db.value("SELECT count(*) FROM event").unwrap(), "200000");
}

#[test]
fn a_closed_pipe_ends_quietly() {
    for args in [&["rules"][..], &["rule", "fk-without-index"][..]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_steward"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}
