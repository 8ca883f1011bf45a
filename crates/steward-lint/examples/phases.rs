//! Times each phase of linting a synthetic schema (a profiling aid).
use std::time::Instant;
fn main() {
    let big = steward_lint::synthetic::schema(8 * 90 * 1024);
    let small = steward_lint::synthetic::schema(90 * 1024);
    for (label, text) in [("90KB", &small), ("720KB", &big)] {
        let t = Instant::now();
        let file = steward_sql::parse_file(
            steward_core::SourceFile::new("x.sql", text.as_str()),
            steward_core::Dialect::Postgres,
            0,
        );
        let parse = t.elapsed();
        let t = Instant::now();
        let model =
            steward_sql::lower::Lowerer::build(steward_core::Dialect::Postgres, &file.statements);
        let lower = t.elapsed();
        let mut times = vec![];
        for rule in steward_rules::registry::all() {
            let t = Instant::now();
            let _ = steward_rules::run_files(
                std::slice::from_ref(&file),
                steward_core::Dialect::Postgres,
                &[rule],
            );
            times.push((rule.meta().id, t.elapsed()));
        }
        let t = Instant::now();
        let _ = steward_rules::run_files(
            std::slice::from_ref(&file),
            steward_core::Dialect::Postgres,
            &[],
        );
        let none = t.elapsed();
        println!("{label}: parse {parse:?} lower {lower:?} engine-no-rules {none:?} tables {} indexes {}", model.tables.len(), model.indexes.len());
        for (id, t) in times {
            println!("   {id}: {t:?}");
        }
    }
}
