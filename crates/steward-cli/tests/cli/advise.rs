//! `steward advise` end to end: the real binary on pg_stat_statements, on a queries file
//! offline, and its exit codes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};
use steward_testkit::Cluster;

fn cluster() -> &'static Cluster {
    Cluster::shared().unwrap_or_else(|e| panic!("cannot start PostgreSQL: {e}"))
}

fn steward(args: &[&str]) -> (Output, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_steward"));
    cmd.args(args)
        .current_dir(dir.path())
        .env("HOME", dir.path());
    for var in [
        "PGHOST",
        "PGPORT",
        "PGUSER",
        "PGDATABASE",
        "PGPASSWORD",
        "PGSSLMODE",
    ] {
        cmd.env_remove(var);
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out, stdout, stderr)
}

#[test]
fn advise_reads_pg_stat_statements_as_json() {
    let db = cluster().create_database("cli_advise").unwrap();
    db.exec(
        "CREATE EXTENSION pg_stat_statements;
         CREATE EXTENSION hypopg;
         CREATE TABLE post (id int PRIMARY KEY, title text, created_at timestamptz);
         INSERT INTO post SELECT g, 't' || g, now() FROM generate_series(1, 20000) g;
         ANALYZE post;",
    )
    .unwrap();
    // The load is not the workload: its inserts would be charged as write overhead. (After
    // the loading transaction: its counts are reported when it ends.)
    db.exec("SELECT pg_stat_reset()").unwrap();
    for i in 0..30 {
        db.exec(&format!("SELECT id FROM post WHERE title = 't{i}'"))
            .unwrap();
    }
    for page in 0..5 {
        db.exec(&format!(
            "SELECT * FROM post ORDER BY id LIMIT 20 OFFSET {}",
            page * 20
        ))
        .unwrap();
    }
    let conninfo = db.conninfo();
    let (out, stdout, stderr) = steward(&["advise", &conninfo, "--no-config", "-f", "json"]);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["source"]["kind"], "pg_stat_statements");
    // What-if: hypopg proves an index on title, priced with the plans' cost ratio.
    assert_eq!(json["indexes"]["evaluated"], true, "{}", json["indexes"]);
    let missing = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "missing-index")
        .unwrap_or_else(|| panic!("{stdout}"));
    assert_eq!(missing["query"], "SELECT id FROM post WHERE title = $1");
    assert!(
        missing["fix"]
            .as_str()
            .unwrap()
            .starts_with("CREATE INDEX CONCURRENTLY"),
        "{missing}"
    );
    assert!(
        missing["fix"].as_str().unwrap().contains("(title)"),
        "{missing}"
    );
    assert!(missing["savings"]["cost_ratio_after"].as_f64().unwrap() < 0.5);
    assert!(
        missing["savings"]["saved_seconds_per_day"]
            .as_f64()
            .unwrap()
            > 0.0
    );
    assert_eq!(
        db.value("SELECT count(*) FROM pg_indexes WHERE tablename = 'post'")
            .unwrap(),
        "1",
        "nothing built"
    );
    let (_, no_index, _) = steward(&[
        "advise",
        &conninfo,
        "--no-config",
        "-f",
        "json",
        "--no-index-advice",
    ]);
    let no_index: serde_json::Value = serde_json::from_str(&no_index).unwrap();
    assert!(no_index["indexes"].is_null());
    let page = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "offset-pagination")
        .unwrap_or_else(|| panic!("{stdout}"));
    assert_eq!(
        page["query"],
        "SELECT * FROM post ORDER BY id LIMIT $1 OFFSET $2"
    );
    // The rule's finding carries the keyset rewrite (id is the primary key: unique, not null).
    let keyset = &page["rewrite"]["Rewritten"];
    assert_eq!(keyset["kind"], "offset-to-keyset", "{page}");
    assert_eq!(
        keyset["sql"], "SELECT * FROM post WHERE (post.id) > ($2) ORDER BY id LIMIT $1",
        "parameters numbered without a gap"
    );
    let next = db
        .value(&format!(
            "PREPARE next_page AS {}; EXECUTE next_page(3, 40);",
            keyset["sql"].as_str().unwrap()
        ))
        .unwrap();
    assert!(
        next.starts_with("41"),
        "the page after id 40 starts at 41: {next}"
    );
    let rank = page["query_rank"].as_u64().unwrap() as usize;
    assert_eq!(json["top_queries"][rank - 1]["calls"], 5);

    // Text, with a price of its own.
    let (out, stdout, stderr) = steward(&[
        "advise",
        &conninfo,
        "--no-config",
        "--top",
        "3",
        "--cost-per-vcpu-hour",
        "0.2",
    ]);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains("What to fix first"), "{stdout}");
    assert!(stdout.contains("$0.2000 per vCPU-hour"), "{stdout}");
    assert!(
        stdout.contains("Top queries by total time (3 of"),
        "{stdout}"
    );
}

#[test]
fn advise_without_pg_stat_statements_says_how_and_exits_2() {
    let db = cluster().create_database("cli_advise_noext").unwrap();
    let (out, stdout, stderr) = steward(&["advise", &db.conninfo(), "--no-config"]);
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(
        stderr.contains("CREATE EXTENSION IF NOT EXISTS pg_stat_statements"),
        "{stderr}"
    );
    assert!(stderr.contains("--log FILE"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn advise_offline_on_a_queries_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("queries.sql");
    std::fs::write(
        &file,
        "-- calls: 12000, mean-ms: 4\nSELECT * FROM post ORDER BY id LIMIT 20 OFFSET 400;\n\
         -- calls: 50\nSELECT id FROM post WHERE id IN (1, 2, 3);\n",
    )
    .unwrap();
    let path = file.display().to_string();
    let (out, stdout, stderr) = steward(&["advise", "--queries", &path, "--no-config"]);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains("runs 12 000×/day"), "{stdout}");
    assert!(stdout.contains("offset-pagination"), "{stdout}");
    assert!(stdout.contains("no schema (offline)"), "{stdout}");
    assert!(
        stdout.contains("SELECT id FROM post WHERE id IN ($1)"),
        "{stdout}"
    );

    let (out, _, stderr) = steward(&["advise", "--log", "/nonexistent/postgresql.log"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("cannot read /nonexistent/postgresql.log"),
        "{stderr}"
    );
    let (out, _, stderr) = steward(&["advise", "--queries", &path, "--cost-per-vcpu-hour=-1"]);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
}
