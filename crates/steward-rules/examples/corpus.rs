//! Lints the shared corpus (or given files) with the given rules and prints every finding:
//! the false-positive check for a rule.
//!
//! `cargo run -p steward-rules --example corpus -- fk-without-index,select-star [FILES…]`
//! (rule list `all` for every rule; files default to testdata/corpus/*.sql).

use std::collections::BTreeMap;
use steward_core::{Dialect, SourceFile};

fn main() {
    let mut args = std::env::args().skip(1);
    let selection = args.next().unwrap_or_else(|| "all".into());
    let mut files: Vec<String> = args.collect();
    if files.is_empty() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/corpus");
        let mut found: Vec<String> = std::fs::read_dir(dir)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "sql"))
                    .map(|p| p.display().to_string())
                    .collect()
            })
            .unwrap_or_default();
        found.sort();
        files = found;
    }
    let rules: Vec<_> = steward_rules::registry::all()
        .into_iter()
        .filter(|r| selection == "all" || selection.split(',').any(|id| id == r.meta().id))
        .collect();
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("cannot read {path}");
            continue;
        };
        let dialect: Dialect = steward_sql::detect::detect(&path, &text);
        let parsed = steward_sql::parse_file(SourceFile::new(path.as_str(), text), dialect, 0);
        let run = steward_rules::run_files(std::slice::from_ref(&parsed), dialect, &rules);
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        let mut findings = run.diagnostics;
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        for d in &findings {
            *counts.entry(d.rule).or_default() += 1;
            let at = d
                .location
                .as_ref()
                .map(|l| format!("{}:{}", l.span.start.line, l.span.start.column))
                .unwrap_or_default();
            println!(
                "{path}:{at} {} [{}] {} — {}",
                d.severity,
                d.rule,
                d.object.as_deref().unwrap_or("-"),
                d.message
            );
        }
        println!(
            "== {path} ({dialect}): {} statements, {counts:?}",
            parsed.statements.len()
        );
    }
}
