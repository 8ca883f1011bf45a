//! Prints how each statement of the given files was handled (parse coverage probe).
use steward_core::statement::Parsed;
fn main() {
    for path in std::env::args().skip(1) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let dialect = steward_sql::detect::detect(&path, &text);
        let file = steward_sql::parse_file(
            steward_core::SourceFile::new(path.as_str(), text),
            dialect,
            0,
        );
        let (mut ast, mut rec, mut recan, mut err) = (0, 0, 0, 0);
        for s in &file.statements {
            let head: String = s
                .text
                .chars()
                .take(100)
                .collect::<String>()
                .replace('\n', " ");
            match &s.parsed {
                Parsed::Ast(_) | Parsed::Rewritten { .. } => ast += 1,
                Parsed::Recognised { kind, analysed } => {
                    if *analysed {
                        recan += 1
                    } else {
                        rec += 1;
                        println!("  not analysed [{kind}] {head}")
                    }
                }
                Parsed::Error { message, location } => {
                    err += 1;
                    println!(
                        "  ERROR {}:{} {message}: {head}",
                        location.span.start.line, location.span.start.column
                    )
                }
            }
        }
        println!("{path} ({dialect}): {} statements: {ast} parsed, {recan} recognised+analysed, {rec} not analysed, {err} errors", file.statements.len());
    }
}
