fn main() {
    let args: Vec<String> = std::env::args().collect();
    let text = std::fs::read_to_string(&args[1]).unwrap();
    let file = steward_sql::parse_file(steward_core::SourceFile::new(args[1].as_str(), text), steward_core::Dialect::Postgres, 0);
    for s in &file.statements { if s.text.contains(&args[2]) { println!("{}:{} {:?}\n---", s.location.span.start.line, s.location.span.start.column, &s.text[..s.text.len().min(300)]); } }
}
