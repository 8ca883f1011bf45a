//! `steward audit` and `steward demo` end to end: the real binary against a real server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};
use steward_testkit::{Cluster, SUPERUSER_PASSWORD};

fn cluster() -> &'static Cluster {
    Cluster::shared().unwrap_or_else(|e| panic!("cannot start PostgreSQL: {e}"))
}

fn steward(args: &[&str], env: &[(&str, &str)]) -> (Output, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_steward"));
    cmd.args(args).current_dir(dir.path()).env("NO_COLOR", "1");
    for var in [
        "PGHOST",
        "PGPORT",
        "PGUSER",
        "PGDATABASE",
        "PGPASSWORD",
        "PGSSLMODE",
        "PGPASSFILE",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("HOME", dir.path());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out, stdout, stderr)
}

#[test]
fn audit_reports_in_every_format_with_the_json_contract() {
    let db = cluster().create_database("cli_audit").unwrap();
    db.exec(
        "CREATE TABLE parent (id int PRIMARY KEY);
         CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent (id));
         CREATE TABLE churn (id int PRIMARY KEY, n int) WITH (autovacuum_enabled = false);
         INSERT INTO churn SELECT g, 0 FROM generate_series(1, 20000) g;
         UPDATE churn SET n = 1;",
    )
    .unwrap();
    db.wait_until(
        "SELECT n_dead_tup >= 20000 FROM pg_stat_user_tables WHERE relname = 'churn'",
        std::time::Duration::from_secs(30),
    )
    .unwrap();
    let conninfo = db.conninfo();
    let (out, stdout, stderr) = steward(
        &["audit", &conninfo, "--no-config", "--format", "json"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["version"], 1);
    let diags = json["diagnostics"].as_array().unwrap();
    let fk = diags
        .iter()
        .find(|d| d["rule"] == "fk-without-index")
        .expect("a schema rule on the live database");
    assert_eq!(fk["object"], "public.child.parent_id");
    assert!(fk["file"].is_null() && fk["line"].is_null());
    let vacuum = diags
        .iter()
        .find(|d| d["rule"] == "vacuum-overdue")
        .expect("a live check");
    assert_eq!(vacuum["category"], "health");
    assert_eq!(vacuum["measured"]["unit"], "%");
    assert!(vacuum["measured"]["value"].as_f64().unwrap() >= 49.0);
    assert!(json["target"].as_str().unwrap().contains(&db.name));

    for format in ["text", "sarif", "github"] {
        let (out, stdout, stderr) =
            steward(&["audit", &conninfo, "--no-config", "-f", format], &[]);
        assert_eq!(out.status.code(), Some(1), "{format}: {stderr}");
        assert!(stdout.contains("vacuum-overdue"), "{format}: {stdout}");
    }
    // Selection and thresholds like lint's; a raised threshold silences the finding.
    let (out, stdout, _) = steward(
        &[
            "audit",
            &conninfo,
            "--no-config",
            "--select",
            "vacuum-overdue",
            "--threshold",
            "vacuum-overdue.dead-ratio=0.9",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("no problems found in database"), "{stdout}");
    // The same through steward.toml.
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("steward.toml");
    std::fs::write(
        &config,
        "[rules]\nselect = [\"vacuum-overdue\"]\n[thresholds.vacuum-overdue]\ndead-ratio = 0.9\n",
    )
    .unwrap();
    let (out, _, stderr) = steward(
        &["audit", &conninfo, "--config", config.to_str().unwrap()],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

#[test]
fn connection_and_usage_errors_exit_2_in_one_line_without_the_password() {
    let c = cluster();
    let port = c.port().to_string();
    let wrong =
        format!("postgresql://postgres:not-the-pw-77@127.0.0.1:{port}/postgres?sslmode=disable");
    let (out, stdout, stderr) = steward(&["audit", &wrong], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("password authentication failed"),
        "{stderr}"
    );
    assert!(!stderr.contains("not-the-pw-77") && !stdout.contains("not-the-pw-77"));
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");

    let (out, _, stderr) = steward(&["audit", &c.conninfo("missing_db")], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("database \"missing_db\" does not exist"),
        "{stderr}"
    );

    // PG* variables, as psql reads them.
    let env = [
        ("PGHOST", "127.0.0.1"),
        ("PGPORT", port.as_str()),
        ("PGUSER", "postgres"),
        ("PGPASSWORD", SUPERUSER_PASSWORD),
        ("PGDATABASE", "postgres"),
    ];
    let (out, _, stderr) = steward(&["audit", "--no-config", "--select", "ssl-off"], &env);
    assert_eq!(out.status.code(), Some(0), "{stderr}");

    for (args, expect) in [
        (
            vec!["--threshold", "vacuum-overdue.nonsense=1"],
            "has no threshold `nonsense`",
        ),
        (
            vec!["--threshold", "no-such-check.x=1"],
            "is not a live check",
        ),
        (
            vec!["--threshold", "vacuum-overdue.dead-ratio=lots"],
            "is not a number",
        ),
        (vec!["--select", "no-such-rule"], "unknown rule or category"),
        (vec!["--statement-timeout", "0"], "at least 1ms"),
    ] {
        let mut full = vec!["audit", "--no-config"];
        full.extend(args);
        let (out, _, stderr) = steward(&full, &env);
        assert_eq!(out.status.code(), Some(2), "{full:?}: {stderr}");
        assert!(stderr.contains(expect), "{full:?}: {stderr}");
    }
    let (out, _, stderr) = steward(
        &["audit", "host=127.0.0.1 port=1 user=x sslmode=disable"],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("cannot reach the server"), "{stderr}");
}

#[test]
fn rules_lists_live_checks_with_their_thresholds() {
    let (out, stdout, _) = steward(&["rules"], &[]);
    assert!(out.status.success());
    assert!(
        stdout.contains("xid-wraparound") && stdout.contains("(audit only)"),
        "{stdout}"
    );
    let (out, stdout, _) = steward(&["rule", "vacuum-overdue"], &[]);
    assert!(out.status.success());
    assert!(stdout.contains("threshold `dead-ratio` = 0.2"), "{stdout}");
    assert!(stdout.contains("## Why it matters"), "{stdout}");
}

#[test]
fn demo_audits_the_sample_shop() {
    let (out, stdout, stderr) = steward(&["demo", "--format", "json"], &[]);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let rules: std::collections::BTreeSet<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["rule"].as_str())
        .collect();
    for planted in [
        "fk-without-index",
        "vacuum-overdue",
        "sequence-exhaustion",
        "view-bypasses-rls",
        "rls-enabled-without-policy",
        "security-definer-search-path",
        "sensitive-column-plaintext",
        "redundant-index",
        "seq-scan-heavy-table",
    ] {
        assert!(rules.contains(planted), "{planted} not found in {rules:?}");
    }
    assert!(!rules.contains("grant-to-public") || stdout.contains("public.products"));
}
