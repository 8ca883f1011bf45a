#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Every rule has a failing and a passing fixture, docs with the four sections, and a
//! snapshot of what it reports on its failing fixture.
//!
//! Layout: `tests/fixtures/<rule-id>/bad.sql` and `good.sql` (PostgreSQL), `bad.tsql` and
//! `good.tsql` (T-SQL). A fixture may also be a directory of files, linted in name order as a
//! migration history (`bad/001_create.sql`, `bad/002_alter.sql`).

use std::path::{Path, PathBuf};
use steward_core::{Diagnostic, Dialect, SourceFile};
use steward_rules::Rule;

/// Rules whose findings come from the lint driver, not the engine; tested in steward-lint.
const DRIVER_RULES: &[&str] = &["invalid-suppression", "app-code-sql-injection"];

fn fixture_dir(id: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(id)
}

/// The files of a fixture (a file, or the sorted files of a directory).
fn fixture_files(path: &Path) -> Vec<PathBuf> {
    if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        files
    } else if path.is_file() {
        vec![path.to_path_buf()]
    } else {
        Vec::new()
    }
}

/// Runs one rule over a fixture and returns its findings.
fn run(rule: &'static dyn Rule, files: &[PathBuf], dialect: Dialect) -> Vec<Diagnostic> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let parsed: Vec<_> = files
        .iter()
        .enumerate()
        .map(|(i, path)| {
            let text = std::fs::read_to_string(path).unwrap();
            let shown = path.strip_prefix(root).unwrap().display().to_string();
            steward_sql::parse_file(SourceFile::new(shown, text), dialect, i)
        })
        .collect();
    let mut findings = steward_rules::run_files(&parsed, dialect, &[rule]).diagnostics;
    findings.retain(|d| d.rule == rule.meta().id);
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings
}

fn render(findings: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in findings {
        let at = d
            .location
            .as_ref()
            .map(|l| format!("{}:{}:{}", l.path, l.span.start.line, l.span.start.column))
            .unwrap_or_else(|| "<live>".into());
        out.push_str(&format!("{at} {} [{}]\n", d.severity, d.rule));
        if let Some(o) = &d.object {
            out.push_str(&format!("  object: {o}\n"));
        }
        out.push_str(&format!("  message: {}\n", d.message));
        if let Some(h) = &d.help {
            out.push_str(&format!("  help: {h}\n"));
        }
        if let Some(f) = &d.fix {
            out.push_str(&format!("  fix: {}\n", f.replace('\n', "\n       ")));
        }
    }
    out
}

#[test]
fn every_rule_has_fixtures_docs_and_a_snapshot() {
    // STEWARD_RULES=id,id limits the check to some rules (while writing them).
    let only: Option<Vec<String>> = std::env::var("STEWARD_RULES")
        .ok()
        .map(|v| v.split(',').map(|s| s.trim().to_string()).collect());
    let mut problems = Vec::new();
    for rule in steward_rules::registry::all() {
        let meta = rule.meta();
        if only
            .as_ref()
            .is_some_and(|o| !o.iter().any(|id| id == meta.id))
        {
            continue;
        }
        for section in [
            "## What it does",
            "## Why it matters",
            "## Example",
            "## Fix",
        ] {
            if !meta.docs.contains(section) {
                problems.push(format!("{}: docs lack `{section}`", meta.id));
            }
        }
        if DRIVER_RULES.contains(&meta.id) {
            continue;
        }
        let dir = fixture_dir(meta.id);
        let mut tested = false;
        for (dialect, ext) in [(Dialect::Postgres, "sql"), (Dialect::Tsql, "tsql")] {
            // `bad.sql` or a `bad/` history for PostgreSQL; `bad.tsql` or `bad_tsql/` for T-SQL.
            let dirs = |kind: &str| match dialect {
                Dialect::Postgres => dir.join(kind),
                Dialect::Tsql => dir.join(format!("{kind}_tsql")),
            };
            let bad: Vec<_> = fixture_files(&dir.join(format!("bad.{ext}")))
                .into_iter()
                .chain(fixture_files(&dirs("bad")))
                .collect();
            let good: Vec<_> = fixture_files(&dir.join(format!("good.{ext}")))
                .into_iter()
                .chain(fixture_files(&dirs("good")))
                .collect();
            if bad.is_empty() && good.is_empty() {
                continue;
            }
            if !meta.applies_to(dialect) {
                problems.push(format!(
                    "{}: has {ext} fixtures but does not apply to {dialect}",
                    meta.id
                ));
                continue;
            }
            if bad.is_empty() || good.is_empty() {
                problems.push(format!(
                    "{}: needs both bad and good {ext} fixtures",
                    meta.id
                ));
                continue;
            }
            tested = true;
            let found = run(rule, &bad, dialect);
            if found.is_empty() {
                problems.push(format!(
                    "{}: reports nothing on its bad.{ext} fixture",
                    meta.id
                ));
            }
            let clean = run(rule, &good, dialect);
            if !clean.is_empty() {
                problems.push(format!(
                    "{}: reports on its good.{ext} fixture:\n{}",
                    meta.id,
                    render(&clean)
                ));
            }
            let name = match dialect {
                Dialect::Postgres => meta.id.to_string(),
                Dialect::Tsql => format!("{}.tsql", meta.id),
            };
            insta::with_settings!({ snapshot_path => "snapshots/rules", prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!(name, render(&found));
            });
        }
        if !tested {
            problems.push(format!("{}: has no fixtures in {}", meta.id, dir.display()));
        }
    }
    assert!(
        problems.is_empty(),
        "rule problems:\n{}",
        problems.join("\n")
    );
}
