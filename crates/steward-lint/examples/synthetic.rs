//! Prints a synthetic schema of about N bytes (default 1 MB), e.g. to measure memory:
//! `cargo run --release -p steward-lint --example synthetic -- 1000000 > /tmp/1mb.sql`
fn main() {
    let bytes = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    print!("{}", steward_lint::synthetic::schema(bytes));
}
