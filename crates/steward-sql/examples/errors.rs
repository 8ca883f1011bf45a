#![allow(clippy::unwrap_used, clippy::expect_used)]
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let d = steward_sql::detect::detect(&path, &text);
    for piece in steward_sql::split::split(&text, d) {
        let t = &text[piece.range.clone()];
        let r = match d {
            steward_core::Dialect::Postgres => {
                sqlparser::parser::Parser::parse_sql(&sqlparser::dialect::PostgreSqlDialect {}, t)
            }
            steward_core::Dialect::Tsql => {
                sqlparser::parser::Parser::parse_sql(&sqlparser::dialect::MsSqlDialect {}, t)
            }
        };
        match r {
            Ok(v) => println!("OK {} stmts: {}", v.len(), t.lines().next().unwrap_or("")),
            Err(e) => println!("ERR {e}: {}", t.lines().next().unwrap_or("")),
        }
    }
}
