//! A secret found in SQL is never repeated in a finding: not in the message, the help, the fix
//! or the object.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use steward_core::{Dialect, SourceFile};

const SECRETS: &[&str] = &[
    "correct horse battery staple",
    "md5a3556571e93b0d20722ba62be61e8c2d",
    "my-static-key",
    "admin123",
    "another-key",
    "Sup3rS3cret!",
    "key-password",
    "open sesame 42",
];

#[test]
fn secrets_are_never_echoed() {
    let rule = steward_rules::registry::find("hardcoded-secret").unwrap();
    let mut found = 0;
    for (file, dialect) in [("bad.sql", Dialect::Postgres), ("bad.tsql", Dialect::Tsql)] {
        let path = format!(
            "{}/tests/fixtures/hardcoded-secret/{file}",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap();
        let parsed = steward_sql::parse_file(SourceFile::new(path.as_str(), text), dialect, 0);
        let run = steward_rules::engine::run_files(&[parsed], dialect, &[rule]);
        for d in &run.diagnostics {
            found += 1;
            let shown = format!("{:?} {} {:?} {:?}", d.object, d.message, d.help, d.fix);
            for secret in SECRETS {
                assert!(!shown.contains(secret), "finding repeats a secret: {shown}");
            }
        }
    }
    assert_eq!(found, 8, "every secret of the fixtures is found");
}
