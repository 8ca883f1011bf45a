//! `steward backup` end to end: create, verify (and a damaged backup), pitr-check.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;
use steward_testkit::Cluster;

fn steward(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_steward"))
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("PGPASSWORD")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn create_verify_and_a_damaged_backup() {
    let c = Cluster::shared().unwrap_or_else(|e| panic!("cannot start PostgreSQL: {e}"));
    let db = c.create_database("cli_backup").unwrap();
    db.exec("CREATE TABLE t (id serial PRIMARY KEY, v text); INSERT INTO t (v) SELECT 'v' || g FROM generate_series(1, 1000) g;")
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b");
    let out_s = out.to_str().unwrap();
    let bin = c.bindir().to_str().unwrap();
    let (code, stdout, stderr) = steward(&[
        "backup",
        "create",
        &db.conninfo(),
        "--out",
        out_s,
        "--pg-bin",
        bin,
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("1 tables, 1000 rows"), "{stdout}");
    // Never over an existing backup.
    let (code, _, stderr) = steward(&[
        "backup",
        "create",
        &db.conninfo(),
        "--out",
        out_s,
        "--pg-bin",
        bin,
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("never writes over a backup"), "{stderr}");

    let (code, stdout, stderr) = steward(&[
        "backup",
        "verify",
        out_s,
        "--pg-bin",
        bin,
        "--check",
        "SELECT count(*) = 1000 FROM t",
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("the backup restores completely"),
        "{stdout}"
    );

    let toc = out.join("dump/toc.dat");
    let mut bytes = std::fs::read(&toc).unwrap();
    bytes[10] ^= 0xff;
    std::fs::write(&toc, bytes).unwrap();
    let (code, stdout, _) = steward(&["backup", "verify", out_s, "--pg-bin", bin, "--json"]);
    assert_eq!(code, 1, "{stdout}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["ok"], false);
    assert!(
        json["problems"][0].as_str().unwrap().contains("toc.dat"),
        "{json}"
    );
}

#[test]
fn pitr_check_reports_through_the_engine() {
    let c = Cluster::shared().unwrap_or_else(|e| panic!("cannot start PostgreSQL: {e}"));
    let (code, stdout, stderr) = steward(&[
        "backup",
        "pitr-check",
        &c.conninfo("postgres"),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["diagnostics"][0]["rule"], "pitr-not-configured");
    assert!(json["diagnostics"][0]["file"].is_null());
}
