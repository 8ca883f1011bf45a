//! `steward generate` and `steward privacy erasure-plan` end to end: the real binary, from
//! files and from a real server, and `--apply`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use steward_testkit::Cluster;

fn cluster() -> &'static Cluster {
    Cluster::shared().unwrap_or_else(|e| panic!("cannot start PostgreSQL: {e}"))
}

fn shop() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../steward-generate/tests/fixtures/shop.sql"
    ))
}

fn steward(args: &[&str]) -> (Output, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_steward"))
        .args(args)
        .current_dir(dir.path())
        .env("HOME", dir.path())
        .env_remove("PGPASSWORD")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out, stdout, stderr)
}

#[test]
fn generates_from_files_and_explains_refusals() {
    let schema = shop();
    let schema = schema.to_str().unwrap();
    let (out, stdout, stderr) = steward(&["generate", "audit-trail", "--schema", schema]);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stdout.contains("CREATE TABLE IF NOT EXISTS audit.log"),
        "{stdout}"
    );
    assert!(stdout.starts_with("-- steward generate audit-trail"));

    let (out, _, stderr) = steward(&["generate", "soft-delete", "--schema", schema]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("name the tables with --table"), "{stderr}");

    let (out, _, stderr) = steward(&["generate", "roles"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("--schema FILE"), "{stderr}");

    let (out, _, stderr) = steward(&["generate", "rls", "--schema", schema, "--table", "nosuch"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("unknown table `nosuch`"), "{stderr}");

    let (out, stdout, stderr) = steward(&[
        "privacy",
        "erasure-plan",
        "--schema",
        schema,
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let plan: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        plan["subject_table"], "public.customer",
        "detected: the table of people"
    );
    let actions: Vec<String> = plan["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e["table"].as_str().unwrap(),
                e["action"].as_str().unwrap()
            )
        })
        .collect();
    assert!(
        actions.contains(&"public.ticket_message delete".to_string()),
        "{actions:?}"
    );
    assert!(
        actions
            .iter()
            .any(|a| a.starts_with("public.orders anonymise")),
        "{actions:?}"
    );
}

#[test]
fn applies_to_a_live_database_and_counts_a_subjects_rows() {
    let db = cluster().create_database("cli_generate").unwrap();
    db.load_file(&shop()).unwrap();
    db.exec("INSERT INTO tenant VALUES (1, 'one');
             INSERT INTO customer (tenant_id, email, full_name, password_hash) VALUES (1, 'a@example.com', 'A', 'h');
             INSERT INTO support_ticket (tenant_id, customer_id, subject) SELECT 1, id, 's' FROM customer;
             INSERT INTO support_ticket (tenant_id, customer_id, subject) SELECT 1, id, 't' FROM customer;")
        .unwrap();
    let url = db.conninfo();

    // Without a terminal to ask on, --apply needs --yes.
    let (out, stdout, stderr) = steward(&["generate", "updated-at", &url, "--apply", &url]);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--yes"), "{stderr}");
    assert!(
        stdout.contains("CREATE OR REPLACE TRIGGER"),
        "the script is shown first"
    );
    assert_eq!(
        db.value("SELECT count(*) FROM pg_trigger WHERE tgname = 'set_updated_at'")
            .unwrap(),
        "0"
    );

    let (out, _, stderr) = steward(&["generate", "updated-at", &url, "--apply", &url, "--yes"]);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("applied"), "{stderr}");
    assert_eq!(
        db.value("SELECT count(*) FROM pg_trigger WHERE tgname = 'set_updated_at'")
            .unwrap(),
        "3"
    );

    let id = db.value("SELECT id FROM customer").unwrap();
    let (out, stdout, stderr) = steward(&["privacy", "erasure-plan", &url, "--subject-id", &id]);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stdout.contains("public.support_ticket: delete — 2 row(s)"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "public.customer: anonymise (keep: referenced by kept rows of orders) — 1 row(s)"
        ),
        "{stdout}"
    );
    assert!(!stdout.contains("a@example.com"), "never a value");

    // A failing step is rolled back and reported.
    let (out, _, stderr) = steward(&["generate", "rls", &url, "--tenant-column", "nosuch"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("no table has a nosuch column"), "{stderr}");
}
