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

/// (column, type, SQL generating row `i`'s value, category expected in the inventory or None).
/// Obvious names, names that hide the data (`notes` of emails, `reference` of card numbers),
/// values in plain, hashed, encrypted and masked form, and look-alikes that are not personal.
const SAMPLED: &[(&str, &str, &str, Option<&str>)] = &[
    ("email", "text", "'member' || i || '@example.com'", Some("email address")),
    ("notes", "text", "'canary' || i || '@example.org'", Some("email address")),
    ("card_number", "text", "(ARRAY['4111111111111111','5500005555555559','378282246310005','6011111111111117','4012888888881881'])[i % 5 + 1]", Some("payment card data")),
    ("reference", "text", "(ARRAY['5105105105105100','4012888888881881','4111111111111111','5555555555554444','4000056655665556'])[i % 5 + 1]", Some("payment card data")),
    ("card_masked", "text", "'************' || lpad((i * 37 % 10000)::text, 4, '0')", Some("payment card data")),
    ("iban", "text", "(ARRAY['DE89370400440532013000','GB82WEST12345698765432','FR1420041010050500013M02606','NL91ABNA0417164300','ES9121000418450200051332'])[i % 5 + 1]", Some("bank account number")),
    ("ssn", "text", "lpad((101 + i * 7 % 500)::text, 3, '0') || '-' || lpad((1 + i % 98)::text, 2, '0') || '-' || lpad((1000 + i * 13)::text, 4, '0')", Some("government identification number")),
    ("ssn_encrypted", "bytea", "pgp_sym_encrypt('canary-ssn-' || i, 'canary-key')", Some("government identification number")),
    ("phone", "text", "'+4915' || (112345678 + i * 7919)::text", Some("phone number")),
    ("api_key", "text", "'ghp_' || substr(md5(i::text) || md5((i + 7)::text), 1, 36)", Some("API key or client secret")),
    ("misc_code", "text", "'ghp_' || substr(md5((i + 3)::text) || md5((i + 9)::text), 1, 36)", Some("API key or client secret")),
    ("context", "text", "'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.' || rtrim(translate(encode(convert_to('{\"sub\":\"canary' || i || '\"}', 'UTF8'), 'base64'), '+/', '-_'), '=') || '.' || rtrim(translate(encode(sha256(i::text::bytea), 'base64'), '+/', '-_'), '=')", Some("authentication token")),
    ("last_login_ip", "inet", "('198.51.100.' || (i % 250 + 1))::inet", Some("IP address")),
    ("origin", "text", "'203.0.' || (i % 200) || '.' || (i * 7 % 250 + 1)", Some("IP address")),
    ("password", "text", "'Canary' || i || '!pass'", Some("password")),
    ("password_hash", "text", "'$2b$12$' || substr(translate(encode(sha256(i::text::bytea) || sha256((i + 1)::text::bytea), 'base64'), '+=', '..'), 1, 53)", Some("password")),
    ("password_digest", "text", "'Hunter' || i || '#canary'", Some("password")),
    ("birth_date", "date", "date '1950-01-01' + (i * 331 % 18000)", Some("date of birth")),
    ("payload", "jsonb", "jsonb_build_object('contact', jsonb_build_object('email', 'p' || i || '@example.net'), 'plan', 'basic')", Some("email address")),
    ("status", "text", "(ARRAY['active','inactive','pending'])[i % 3 + 1]", None),
    ("order_no", "text", "(100000 + i)::text", None),
    ("sku", "text", "'SKU-' || lpad(i::text, 6, '0')", None),
    ("row_uuid", "text", "md5(i::text)::uuid::text", None),
    ("version", "text", "'1.' || (i % 4) || '.' || i", None),
    // A postcode is part of an address: the inventory lists it by name (medium confidence).
    ("zip", "text", "lpad((i * 97 % 99999)::text, 5, '0')", Some("postal address")),
    ("checksum", "text", "md5('file' || i)", None),
    ("shipped_on", "date", "date '2024-01-01' + i", None),
    ("color", "text", "'#' || substr(md5(i::text), 1, 6)", None),
];

#[test]
fn sampled_values_find_hidden_personal_data_and_plaintext_credentials_without_printing_any() {
    let db = cluster().create_database("cli_privacy_sample").unwrap();
    let columns: Vec<String> = SAMPLED
        .iter()
        .map(|(c, ty, _, _)| format!("{c} {ty}"))
        .collect();
    let values: Vec<&str> = SAMPLED.iter().map(|(_, _, v, _)| *v).collect();
    db.exec(&format!(
        "CREATE EXTENSION pgcrypto;
         CREATE TABLE account (id int PRIMARY KEY, {});
         INSERT INTO account SELECT i, {} FROM generate_series(1, 200) AS i;
         ANALYZE account;",
        columns.join(", "),
        values.join(", ")
    ))
    .unwrap();
    let url = db.conninfo();
    let dir = tempfile::tempdir().unwrap();
    let csv_path = dir.path().join("inventory.csv");
    let json_path = dir.path().join("inventory.json");
    let csv_arg = csv_path.to_str().unwrap();
    let json_arg = json_path.to_str().unwrap();
    let runs = [
        steward(&["privacy", &url, "--sample", "50"]),
        steward(&["privacy", &url, "--sample", "50", "-f", "json"]),
        steward(&["privacy", &url, "--sample", "50", "-f", "csv"]),
        steward(&[
            "privacy", &url, "--sample", "50", "-f", "csv", "-o", csv_arg,
        ]),
        steward(&[
            "privacy", &url, "--sample", "50", "-f", "json", "-o", json_arg,
        ]),
        steward(&["audit", &url, "--sample", "50"]),
        steward(&["audit", &url, "--sample", "50", "-f", "json"]),
        steward(&["audit", &url, "--sample", "50", "-f", "sarif"]),
    ];
    let mut everything = String::new();
    for (out, stdout, stderr) in &runs {
        assert!(matches!(out.status.code(), Some(0 | 1)), "{stderr}");
        everything.push_str(stdout);
        everything.push_str(stderr);
    }
    everything.push_str(&std::fs::read_to_string(&csv_path).unwrap());
    everything.push_str(&std::fs::read_to_string(&json_path).unwrap());

    // Every personal value in the table (as the server prints it) is a canary.
    let mut canaries = 0;
    for (column, _, _, expected) in SAMPLED.iter().filter(|c| c.3.is_some()) {
        let all = db
            .value(&format!(
                "SELECT string_agg({column}::text, E'\\n') FROM account"
            ))
            .unwrap();
        for value in all.lines().filter(|v| v.len() >= 6) {
            canaries += 1;
            assert!(
                !everything.contains(value),
                "a sampled value of {column} ({expected:?}) was printed"
            );
        }
    }
    assert!(canaries > 2000, "{canaries}");
    assert!(
        !everything.contains("canary"),
        "no fragment of a value either"
    );
    assert!(!everything.contains("Hunter"), "no fragment of a password");

    // Detection, per category.
    let doc: serde_json::Value = serde_json::from_str(&runs[1].1).unwrap();
    assert_eq!(doc["values_read"], true);
    let found: Vec<&serde_json::Value> = doc["columns"].as_array().unwrap().iter().collect();
    let entry = |column: &str| found.iter().find(|c| c["column"] == column).copied();
    let mut per_category: std::collections::BTreeMap<&str, (u32, u32, u32)> = Default::default();
    let mut wrong = Vec::new();
    for (column, _, _, expected) in SAMPLED {
        let got = entry(column).map(|c| c["category"].as_str().unwrap());
        match (expected, got) {
            (Some(e), Some(g)) if g == *e => per_category.entry(e).or_default().0 += 1,
            (Some(e), Some(g)) => {
                per_category.entry(g).or_default().1 += 1;
                per_category.entry(e).or_default().2 += 1;
                wrong.push(format!("{column}: {g}, expected {e}"));
            }
            (Some(e), None) => {
                per_category.entry(e).or_default().2 += 1;
                wrong.push(format!("{column}: missed ({e})"));
            }
            (None, Some(g)) => {
                per_category.entry(g).or_default().1 += 1;
                wrong.push(format!("{column}: false positive ({g})"));
            }
            (None, None) => {}
        }
    }
    for (category, (tp, fp, fn_)) in &per_category {
        println!(
            "{category}: precision {:.2}, recall {:.2} ({tp} right, {fp} wrong, {fn_} missed)",
            f64::from(*tp) / f64::from((tp + fp).max(1)),
            f64::from(*tp) / f64::from((tp + fn_).max(1)),
        );
    }
    assert!(wrong.is_empty(), "{wrong:#?}\n{}", runs[0].1);

    // Values decide protection; the evidence is counts and a validator name.
    let protection = |c: &str| {
        entry(c).unwrap()["protection"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(protection("password_hash"), "hashed");
    assert_eq!(
        protection("password_digest"),
        "plaintext",
        "named hashed, holds plaintext"
    );
    assert_eq!(protection("ssn_encrypted"), "encrypted");
    assert_eq!(protection("card_masked"), "masked");
    assert_eq!(entry("notes").unwrap()["evidence"], "sampled values");
    let sampled = &entry("reference").unwrap()["sampled"];
    assert_eq!(sampled["rows"], 50);
    assert_eq!(sampled["findings"][0]["kind"], "card-number");
    assert!(
        sampled["findings"][0]["matched"].as_u64().unwrap() >= 45,
        "{sampled}"
    );

    // plaintext-credential-column: the same findings from privacy and audit.
    let credential = |text: &str| -> Vec<String> {
        let mut objects: Vec<String> = text
            .lines()
            .filter(|l| l.contains("plaintext-credential-column") && l.contains("holds"))
            .map(|l| {
                l.split(" holds")
                    .next()
                    .unwrap()
                    .rsplit(' ')
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect();
        objects.sort();
        objects.dedup();
        objects
    };
    let expected = [
        "public.account.api_key",
        "public.account.context",
        "public.account.misc_code",
        "public.account.password",
        "public.account.password_digest",
    ];
    assert_eq!(credential(&runs[0].1), expected, "{}", runs[0].1);
    assert_eq!(credential(&runs[5].1), expected, "{}", runs[5].1);
    assert_eq!(runs[5].0.status.code(), Some(1), "an error-level finding");
    let audit: serde_json::Value = serde_json::from_str(&runs[6].1).unwrap();
    let in_json = audit["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "plaintext-credential-column")
        .count();
    assert_eq!(in_json, expected.len());

    // Without --sample the check is listed as not run, and --sample needs a live database.
    let (_, plain, _) = steward(&["audit", &url]);
    assert!(
        plain.contains("plaintext-credential-column: reads column values"),
        "{plain}"
    );
    let schema = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/corpus/northwind-postgresql.sql"
    );
    let (out, _, stderr) = steward(&["privacy", "--schema", schema, "--sample", "10"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("--sample reads column values"), "{stderr}");
}
