//! The front-end must survive any input: arbitrary bytes-as-text and SQL-shaped noise never
//! panic, and every statement is accounted for.

use proptest::prelude::*;
use steward_core::statement::Parsed;
use steward_core::{Dialect, SourceFile};
use steward_sql::lower::Lowerer;

/// Fragments that exercise the splitter's and parser's tricky paths.
const FRAGMENTS: &[&str] = &[
    "SELECT ",
    "*",
    " FROM ",
    "t",
    ";",
    "'",
    "''",
    "\"",
    "$$",
    "$tag$",
    "$1",
    "--",
    "\n",
    "/*",
    "*/",
    "E'\\'",
    "[",
    "]",
    "GO\n",
    "BEGIN",
    " ATOMIC ",
    "END",
    "CASE",
    "(",
    ")",
    ",",
    "CREATE TABLE ",
    "x (id int",
    " PRIMARY KEY",
    " REFERENCES ",
    "ALTER TABLE ",
    " ADD ",
    "CREATE INDEX ",
    " ON ",
    "COPY t FROM stdin;\n",
    "\\.\n",
    "\\connect db\n",
    "U&'",
    "ä",
    "😀",
    "CREATE FUNCTION f() RETURNS int AS ",
    " LANGUAGE plpgsql",
    "DO ",
    "WITH ",
    "INSERT INTO ",
    " VALUES ",
    "UPDATE ",
    " SET ",
    "DELETE FROM ",
    " WHERE ",
    " = ",
    "NULL",
    "@v",
    "N'x'",
];

fn check(text: &str) {
    for dialect in [Dialect::Postgres, Dialect::Tsql] {
        let file = steward_sql::parse_file(SourceFile::new("fuzz.sql", text), dialect, 0);
        let mut lowerer = Lowerer::new(dialect);
        for s in &file.statements {
            // Every statement points inside the file.
            assert!(s.range.end <= text.len());
            if let Parsed::Error { location, .. } = &s.parsed {
                assert!(location.span.start.line >= 1);
            }
            lowerer.apply(s);
        }
        let _ = steward_sql::detect::detect("fuzz.sql", text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        check(&text);
    }

    #[test]
    fn sql_shaped_noise_never_panics(parts in proptest::collection::vec(0..FRAGMENTS.len(), 0..40)) {
        let text: String = parts.into_iter().map(|i| FRAGMENTS[i]).collect();
        check(&text);
    }
}

#[test]
fn deep_nesting_is_refused_not_a_stack_overflow() {
    let deep = format!("SELECT {}1{};", "(".repeat(5000), ")".repeat(5000));
    let file = steward_sql::parse_file(
        SourceFile::new("deep.sql", deep.as_str()),
        Dialect::Postgres,
        0,
    );
    assert_eq!(file.statements.len(), 1);
    assert!(matches!(file.statements[0].parsed, Parsed::Error { .. }));
}
