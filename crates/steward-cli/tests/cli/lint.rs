//! `steward lint` end to end: the real binary, real files, exit codes and output formats.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

fn steward(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_steward"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn write(dir: &Path, name: &str, content: &[u8]) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

const BAD: &str = "CREATE TABLE customer (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customer (id));\n";
const CLEAN: &str = "CREATE TABLE customer (id bigint PRIMARY KEY, name text NOT NULL);\n";

#[test]
fn findings_exit_1_and_clean_files_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.sql", BAD.as_bytes());
    write(dir.path(), "clean.sql", CLEAN.as_bytes());
    let out = steward(dir.path(), &["lint", "--no-config", "bad.sql"]);
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("warning[fk-without-index]"), "{stdout}");
    assert!(stdout.contains("--> bad.sql:2:"), "{stdout}");
    assert!(stdout.contains("CREATE INDEX CONCURRENTLY"), "{stdout}");

    let out = steward(dir.path(), &["lint", "--no-config", "clean.sql"]);
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("no problems found in 1 file, 1 statement"),
        "{stdout}"
    );
}

#[test]
fn fail_on_sets_the_threshold() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.sql", BAD.as_bytes());
    let out = steward(
        dir.path(),
        &["lint", "--no-config", "--fail-on", "error", "bad.sql"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "warnings do not fail at --fail-on error"
    );
    let out = steward(
        dir.path(),
        &["lint", "--no-config", "--fail-on", "bogus", "bad.sql"],
    );
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("bogus"), "{stderr}");
}

#[test]
fn unreadable_inputs_are_exit_2_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = steward(dir.path(), &["lint", "--no-config", "missing.sql"]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("missing.sql"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    write(
        dir.path(),
        "blob.sql",
        b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0",
    );
    let out = steward(dir.path(), &["lint", "--no-config", "blob.sql"]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("binary"), "{stderr}");
}

#[test]
fn one_unreadable_file_does_not_hide_the_others() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "db/bad.sql", BAD.as_bytes());
    write(dir.path(), "db/blob.sql", b"\0\0\0\x01binary");
    let out = steward(dir.path(), &["lint", "--no-config", "db"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("fk-without-index"), "{stdout}");
    assert!(
        format!("{stdout}{stderr}").contains("blob.sql"),
        "the unreadable file is named"
    );
}

#[test]
fn empty_files_and_directories() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "empty.sql", b"");
    let out = steward(dir.path(), &["lint", "--no-config", "empty.sql"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("0 statements"), "{stdout}");
}

#[test]
fn directories_respect_gitignore() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    write(dir.path(), ".gitignore", b"generated/\n");
    write(dir.path(), "generated/bad.sql", BAD.as_bytes());
    write(dir.path(), "src/clean.sql", CLEAN.as_bytes());
    let out = steward(dir.path(), &["lint", "--no-config", "."]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("1 file"), "{stdout}");
}

#[test]
fn json_follows_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.sql", BAD.as_bytes());
    let out = steward(
        dir.path(),
        &["lint", "--no-config", "--format", "json", "bad.sql"],
    );
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], 1);
    let d = &v["diagnostics"][0];
    assert_eq!(d["rule"], "fk-without-index");
    assert_eq!(d["category"], "integrity");
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["file"], "bad.sql");
    assert_eq!(d["line"], 2);
    assert_eq!(d["object"], "public.orders.customer_id");
    assert_eq!(v["summary"]["files"], 1);
    assert_eq!(v["summary"]["statements"], 2);
    assert_eq!(v["summary"]["warnings"], 1);
}

#[test]
fn sarif_and_github_formats() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.sql", BAD.as_bytes());
    let out = steward(
        dir.path(),
        &["lint", "--no-config", "-f", "sarif", "bad.sql"],
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    assert_eq!(v["runs"][0]["results"][0]["ruleId"], "fk-without-index");
    let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| r["id"] == "fk-without-index"));
    let out = steward(
        dir.path(),
        &["lint", "--no-config", "-f", "github", "bad.sql"],
    );
    let (stdout, _) = text(&out);
    assert!(
        stdout.starts_with("::warning file=bad.sql,line=2,"),
        "{stdout}"
    );
}

#[test]
fn configuration_and_flags() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.sql", BAD.as_bytes());
    write(
        dir.path(),
        "steward.toml",
        b"[rules]\nignore = [\"fk-without-index\"]\n",
    );
    // Found upward from the working directory.
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let out = steward(&dir.path().join("sub"), &["lint", "../bad.sql"]);
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    // --no-config ignores it.
    let out = steward(dir.path(), &["lint", "--no-config", "bad.sql"]);
    assert_eq!(out.status.code(), Some(1));
    // Flags: --ignore a whole category.
    let out = steward(
        dir.path(),
        &["lint", "--no-config", "--ignore", "integrity", "bad.sql"],
    );
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    // Unknown ids are errors, not silently ignored.
    let out = steward(
        dir.path(),
        &[
            "lint",
            "--no-config",
            "--select",
            "fk-withot-index",
            "bad.sql",
        ],
    );
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("fk-withot-index"), "{stderr}");
    write(dir.path(), "broken/steward.toml", b"[rules\nselect = 3");
    let out = steward(&dir.path().join("broken"), &["lint", "../bad.sql"]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("steward.toml"), "{stderr}");
}

#[test]
fn inline_suppressions_and_their_mistakes() {
    let dir = tempfile::tempdir().unwrap();
    let sql = format!(
        "CREATE TABLE customer (id bigint PRIMARY KEY);\n-- steward: ignore[fk-without-index]\n{}\n-- steward: ignore[no-such-rule]\nSELECT 1;\n",
        BAD.lines().nth(1).unwrap()
    );
    write(dir.path(), "s.sql", sql.as_bytes());
    let out = steward(dir.path(), &["lint", "--no-config", "s.sql"]);
    let (stdout, _) = text(&out);
    assert!(!stdout.contains("[fk-without-index]"), "{stdout}");
    assert!(stdout.contains("invalid-suppression"), "{stdout}");
    assert!(stdout.contains("no-such-rule"), "{stdout}");
}

#[test]
fn stdin_and_dialects() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_steward"))
        .args(["lint", "--no-config", "--dialect", "tsql", "-"])
        .current_dir(dir.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"SELECT * FROM [dbo].[Invoice] WITH (NOLOCK)\nGO\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let (stdout, _) = text(&out);
    assert!(stdout.contains("select-star"), "{stdout}");
    let out = steward(dir.path(), &["lint", "--dialect", "oracle", "-"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn rules_and_rule_docs() {
    let dir = tempfile::tempdir().unwrap();
    let out = steward(dir.path(), &["rules"]);
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(0));
    for id in [
        "fk-without-index",
        "hardcoded-secret",
        "offset-pagination",
        "missing-lock-timeout",
    ] {
        assert!(stdout.contains(id), "{id} missing from `steward rules`");
    }
    let out = steward(dir.path(), &["rule", "fk-without-index"]);
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout.contains("## Why it matters"), "{stdout}");
    let out = steward(dir.path(), &["rule", "no-such-rule"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_bundled_example_reports_its_planted_problems() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = steward(&root, &["lint", "examples/", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: std::collections::BTreeSet<String> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect();
    for expected in [
        "fk-without-index",
        "hardcoded-secret",
        "require-concurrent-index",
        "select-star",
        "rls-not-forced",
    ] {
        assert!(
            rules.contains(expected),
            "{expected} not reported on examples/: {rules:?}"
        );
    }
    assert_eq!(v["summary"]["unparsed"], 0);
}

#[test]
fn the_demo_sources_lint_without_parse_errors() {
    // psql files with `\gexec` lines: the meta-command ends the statement before it.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = steward(&root, &["lint", "demo/", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["unparsed"], 0, "{v}");
    assert!(v["summary"]["statements"].as_u64().unwrap() > 30);
}

#[test]
fn app_code_scan_reports_vulnerable_calls_only_and_takes_suppressions() {
    let fixtures = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../steward-appscan/tests/fixtures"
    );
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = steward(here, &["lint", "--app-code", fixtures, "-f", "json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let diagnostics = doc["diagnostics"].as_array().unwrap();
    let mut languages = std::collections::BTreeSet::new();
    for d in diagnostics {
        assert_eq!(d["rule"], "app-code-sql-injection");
        let file = d["file"].as_str().unwrap();
        assert!(
            file.contains("/vulnerable."),
            "a safe variant was reported: {d}"
        );
        assert!(d["line"].as_u64().unwrap() > 0);
        languages.insert(file.rsplit('/').nth(1).unwrap().to_string());
    }
    assert_eq!(languages.len(), 8, "every language: {languages:?}");
    assert_eq!(doc["summary"]["files"], 16);

    // Inline suppression, and only app code when no SQL path is given.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("app.py"),
        "def find(cur, email):\n    cur.execute(f\"SELECT id FROM users WHERE email = '{email}'\")\n    # steward-ignore: app-code-sql-injection\n    cur.execute(f\"SELECT id FROM users WHERE email = '{email}'\")\n    cur.execute(\"SELECT id FROM users WHERE email = %s\", (email,))\n",
    )
    .unwrap();
    let out = steward(dir.path(), &["lint", "--app-code", "app.py"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("app.py:2:"), "{text}");
    assert!(!text.contains("app.py:4:"), "suppressed: {text}");
    assert!(!text.contains("app.py:5:"), "parameterised: {text}");
    assert!(
        !text.contains("users WHERE"),
        "string contents are never echoed: {text}"
    );

    // Nothing scannable is a usage error.
    let out = steward(here, &["lint", "--app-code", "/nonexistent/src"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to scan"));
}
