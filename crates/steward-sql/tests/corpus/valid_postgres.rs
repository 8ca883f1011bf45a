//! Valid PostgreSQL must never be reported as a parse error, and most of it must be analysed.

use steward_core::statement::Parsed;
use steward_core::{Dialect, SourceFile};

#[test]
fn valid_postgres_is_never_a_parse_error() {
    let text = include_str!("../data/valid_postgres.sql");
    let file = steward_sql::parse_file(
        SourceFile::new("valid_postgres.sql", text),
        Dialect::Postgres,
        0,
    );
    let errors: Vec<String> = file
        .statements
        .iter()
        .filter_map(|s| match &s.parsed {
            Parsed::Error { message, location } => Some(format!(
                "line {}: {message}: {}",
                location.span.start.line,
                s.text.lines().next().unwrap_or("")
            )),
            _ => None,
        })
        .collect();
    assert!(
        errors.is_empty(),
        "parse errors on valid PostgreSQL:\n{}",
        errors.join("\n")
    );
    let analysed = file.statements.iter().filter(|s| s.analysed()).count();
    let not: Vec<String> = file
        .statements
        .iter()
        .filter(|s| !s.analysed())
        .map(|s| s.text.lines().next().unwrap_or("").to_string())
        .collect();
    println!(
        "{analysed}/{} analysed; not analysed:\n{}",
        file.statements.len(),
        not.join("\n")
    );
    assert!(
        analysed * 100 >= file.statements.len() * 85,
        "only {analysed}/{} analysed",
        file.statements.len()
    );
}

#[test]
fn every_corpus_statement_is_accounted_for_and_none_is_a_parse_error() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/corpus");
    let mut total = 0;
    let mut analysed = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "sql") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let shown = path.display().to_string();
        let dialect = steward_sql::detect::detect(&shown, &text);
        let expected = if shown.contains("sqlserver") {
            Dialect::Tsql
        } else {
            Dialect::Postgres
        };
        assert_eq!(dialect, expected, "{shown} detected as {dialect}");
        let file = steward_sql::parse_file(SourceFile::new(shown.as_str(), text), dialect, 0);
        for s in &file.statements {
            assert!(
                !matches!(s.parsed, Parsed::Error { .. }),
                "{shown}: parse error: {}",
                s.text
            );
        }
        total += file.statements.len();
        analysed += file.statements.iter().filter(|s| s.analysed()).count();
    }
    println!("corpus: {analysed}/{total} statements analysed");
    assert!(total > 3800, "corpus statements: {total}");
    assert!(
        analysed * 1000 >= total * 998,
        "corpus analysed: {analysed}/{total}"
    );
}
