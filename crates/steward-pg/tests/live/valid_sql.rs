//! The front-end's list of valid PostgreSQL (`steward-sql/tests/data/valid_postgres.sql`, which
//! must never produce a parse-error) really is valid syntax: a PostgreSQL server reports no
//! syntax error on any of it. (Some statements need things a bare cluster lacks — a security
//! label provider, a foreign server — so other errors are allowed; syntax errors are not.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use steward_testkit::Cluster;

#[test]
fn the_valid_postgres_list_has_no_syntax_error_on_a_real_server() {
    let cluster = Cluster::shared().unwrap_or_else(|e| panic!("cannot start PostgreSQL: {e}"));
    let db = cluster.create_database("valid").unwrap();
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../steward-sql/tests/data/valid_postgres.sql");
    let errors = db.run_file_collecting_errors(&path).unwrap();
    let syntax: Vec<&String> = errors
        .iter()
        .filter(|e| e.contains("syntax error"))
        .collect();
    assert!(
        syntax.is_empty(),
        "the server rejects as syntax: {syntax:#?}"
    );
    // The check is live: a broken statement is caught.
    let broken = tempfile_with("CREATE TABLE t (id int;\n");
    let errors = db.run_file_collecting_errors(broken.path()).unwrap();
    assert!(
        errors.iter().any(|e| e.contains("syntax error")),
        "{errors:?}"
    );
}

fn tempfile_with(text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    std::io::Write::write_all(&mut f, text.as_bytes()).unwrap();
    f
}
