//! Development aid: reads a database's catalog and runs the schema rules on it.
//! `cargo run -p steward-pg --example dev_audit -- "host=/tmp/devpg port=55432 user=postgres dbname=sakila"`
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let conninfo = std::env::args().nth(1).unwrap_or_default();
    let (client, conn) = tokio_postgres::connect(&conninfo, tokio_postgres::NoTls)
        .await
        .expect("connect");
    tokio::spawn(conn);
    let (model, stats) = steward_pg::catalog::read_model(&client)
        .await
        .expect("catalog");
    println!(
        "{} queries, {} rows, {:?}; {} tables, {} indexes, {} functions",
        stats.queries,
        stats.rows,
        stats.elapsed,
        model.tables.len(),
        model.indexes.len(),
        model.functions.len()
    );
    let rules = steward_rules::registry::all();
    let mut d = steward_rules::run_model(&model, &rules);
    d.sort_by(|a, b| (a.rule, &a.object).cmp(&(b.rule, &b.object)));
    for x in d {
        println!("{} {} {}", x.rule, x.object.unwrap_or_default(), x.message);
    }
}
