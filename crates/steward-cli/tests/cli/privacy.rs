//! `steward privacy`: the personal-data inventory on a real server seeded with canary values
//! of every category — found by name, type and comment, with who can read them, and no value
//! ever printed in any format.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output, Stdio};
use steward_testkit::Cluster;

fn cluster() -> &'static Cluster {
    Cluster::shared().unwrap_or_else(|e| panic!("cannot start PostgreSQL: {e}"))
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

/// Canary values: valid-looking data of every category. None may appear in any output.
const CANARIES: &[&str] = &[
    "canary.person@example.com",
    "+4915123456789",
    "1984-02-29",
    "078-05-1120",
    "4111111111111111",
    "DE89370400440532013000",
    "hunter2-canary",
    "ghp_canary0123456789abcdefghijklmnopqrstu",
    "203.0.113.77",
    "Canary Street 7",
    "Ada Canary",
    "canary-diagnosis",
];

/// (column, type, the category the inventory should report, or None), named obviously,
/// abbreviated, in other languages, by comment only, and misleadingly.
const COLUMNS: &[(&str, &str, Option<&str>)] = &[
    ("email", "text", Some("email address")),
    ("tel", "text", Some("phone number")),
    ("dob", "date", Some("date of birth")),
    ("ssn", "text", Some("government identification number")),
    ("card_number", "text", Some("payment card data")),
    ("iban", "text", Some("bank account number")),
    ("password", "text", Some("password")),
    ("api_token", "text", Some("authentication token")),
    ("last_login_ip", "inet", Some("IP address")),
    ("strasse", "text", Some("postal address")),
    ("full_name", "text", Some("person's name")),
    ("diagnosis", "text", Some("health data")),
    ("geburtsdatum", "date", Some("date of birth")),
    ("x_contact", "text", Some("email address")), // comment: "E-mail address of the member"
    ("password_hash", "text", Some("password")),
    ("notes", "text", None), // holds emails: only value sampling could tell
    ("reference", "text", None), // holds card numbers
    ("status", "text", None),
    ("created_at", "timestamptz", None),
    ("email_verified", "boolean", None),
];

#[test]
fn inventory_finds_personal_data_says_who_reads_it_and_prints_no_value() {
    let db = cluster().create_database("cli_privacy").unwrap();
    let t = db.name.clone();
    let columns: Vec<String> = COLUMNS
        .iter()
        .map(|(c, ty, _)| format!("{c} {ty}"))
        .collect();
    db.exec(&format!(
        "CREATE TABLE member (id bigint PRIMARY KEY, {});
         COMMENT ON COLUMN member.x_contact IS 'E-mail address of the member';
         CREATE TABLE newsletter (id int PRIMARY KEY, email text);
         GRANT SELECT ON newsletter TO PUBLIC;
         CREATE ROLE reader_{t} NOLOGIN; GRANT SELECT ON member TO reader_{t};
         CREATE ROLE via_{t} LOGIN IN ROLE reader_{t};
         CREATE ROLE col_{t} NOLOGIN; GRANT SELECT (id, email) ON member TO col_{t};
         ALTER TABLE member ENABLE ROW LEVEL SECURITY; ALTER TABLE member FORCE ROW LEVEL SECURITY;
         INSERT INTO member VALUES (1, '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}',
           '$2b$12$canaryhashcanaryhashcanaryhashcanaryhashcanaryhashca', '{}', '{}', 'active', now(), true);
         INSERT INTO newsletter VALUES (1, '{}');",
        columns.join(", "),
        CANARIES[0], CANARIES[1], CANARIES[2], CANARIES[3], CANARIES[4], CANARIES[5], CANARIES[6], CANARIES[7],
        CANARIES[8], CANARIES[9], CANARIES[10], CANARIES[11], CANARIES[2], CANARIES[0], CANARIES[0], CANARIES[4],
        CANARIES[0],
    ))
    .unwrap();
    let url = db.conninfo();
    let dir = tempfile::tempdir().unwrap();
    let csv_path = dir.path().join("inventory.csv");
    let json_path = dir.path().join("inventory.json");
    let runs = [
        steward(&["privacy", &url]),
        steward(&["privacy", &url, "--format", "json"]),
        steward(&[
            "privacy",
            &url,
            "-f",
            "csv",
            "-o",
            csv_path.to_str().unwrap(),
        ]),
        steward(&[
            "privacy",
            &url,
            "-f",
            "json",
            "-o",
            json_path.to_str().unwrap(),
        ]),
    ];
    let mut everything = String::new();
    for (out, stdout, stderr) in &runs {
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        everything.push_str(stdout);
        everything.push_str(stderr);
    }
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    let json_file = std::fs::read_to_string(&json_path).unwrap();
    everything.push_str(&csv);
    everything.push_str(&json_file);
    for canary in CANARIES {
        assert!(
            !everything.contains(canary),
            "a value was printed: {canary}"
        );
    }
    assert!(
        !everything.contains("canary"),
        "no fragment of a value either"
    );

    // Detection by name, type and comment: precision and recall against the labels.
    let doc: serde_json::Value = serde_json::from_str(&runs[1].1).unwrap();
    let found: Vec<&serde_json::Value> = doc["columns"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["table"] == "member")
        .collect();
    let category = |column: &str| {
        found
            .iter()
            .find(|c| c["column"] == column)
            .map(|c| c["category"].as_str().unwrap().to_string())
    };
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    for (column, _, expected) in COLUMNS {
        match (expected, category(column)) {
            (Some(e), Some(got)) if got == *e => tp += 1,
            (Some(_), Some(_)) => {
                fp += 1;
                fn_ += 1
            }
            (Some(_), None) => fn_ += 1,
            (None, Some(_)) => fp += 1,
            (None, None) => {}
        }
    }
    let precision = tp as f64 / (tp + fp) as f64;
    let recall = tp as f64 / (tp + fn_) as f64;
    let hidden = COLUMNS
        .iter()
        .filter(|(c, _, e)| e.is_none() && matches!(*c, "notes" | "reference"))
        .count();
    println!(
        "by name/type/comment: {tp} right, {fp} wrong, {fn_} missed; precision {precision:.2}, recall {recall:.2} over the labelled names; {hidden} misleadingly named columns holding personal data are not found without reading values (recall over all personal data {:.2})",
        tp as f64 / (tp + fn_ + hidden) as f64
    );
    assert_eq!(fp, 0, "{found:#?}");
    assert_eq!(fn_, 0, "{found:#?}");

    // Protection, access, RLS.
    let column = |name: &str| *found.iter().find(|c| c["column"] == name).unwrap();
    assert_eq!(column("password_hash")["protection"], "hashed");
    assert_eq!(column("password")["protection"], "plaintext");
    assert_eq!(column("x_contact")["evidence"], "comment");
    assert_eq!(column("email")["row_level_security"], "forced");
    let readers = |name: &str| -> Vec<String> {
        column(name)["readable_by"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap().to_string())
            .collect()
    };
    assert!(readers("ssn").contains(&format!("reader_{t}")));
    assert!(
        readers("ssn").contains(&format!("via_{t}")),
        "through membership"
    );
    assert!(
        readers("email").contains(&format!("col_{t}")),
        "column grant"
    );
    assert!(
        !readers("ssn").contains(&format!("col_{t}")),
        "only the granted columns"
    );
    let newsletter = doc["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["table"] == "newsletter")
        .unwrap();
    assert_eq!(newsletter["public"], true);
    assert!(
        runs[0].1.contains("readable by: PUBLIC (every role)"),
        "{}",
        runs[0].1
    );
    assert!(csv.starts_with("schema,table,column,"), "{csv}");
    assert_eq!(
        csv.lines().count(),
        1 + doc["columns"].as_array().unwrap().len()
    );

    db.exec(&format!(
        "DROP OWNED BY via_{t}, reader_{t}, col_{t}; DROP ROLE via_{t}; DROP ROLE reader_{t}; DROP ROLE col_{t};"
    ))
    .unwrap();
}

#[test]
fn inventory_from_files_and_bad_input() {
    let schema = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/corpus/northwind-postgresql.sql"
    );
    let (out, stdout, stderr) = steward(&["privacy", "--schema", schema, "-f", "csv"]);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stdout.contains("\"public\",\"employees\",\"birth_date\""),
        "{stdout}"
    );
    assert!(stdout.contains("unknown (read from files)"));
    let (out, _, stderr) = steward(&["privacy", "postgresql://nobody@127.0.0.1:1/x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.starts_with("steward: error:"), "{stderr}");
}
