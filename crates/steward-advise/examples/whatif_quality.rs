//! The what-if advisor's quality benchmark at full size: `cargo run --release -p steward-advise
//! --example whatif_quality [SCALE]` (default scale 1.0, about 1.5 million rows). Starts a
//! throwaway PostgreSQL with hypopg, loads Chinook's schema with skewed generated data, and
//! prints the numbers (see `support/quality.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/quality.rs"]
mod quality;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let scale: f64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    let cluster = steward_testkit::Cluster::start().unwrap();
    let db = cluster.create_database("whatif_quality").unwrap();
    db.exec("CREATE EXTENSION hypopg").unwrap();
    let started = std::time::Instant::now();
    quality::load(&db, scale);
    eprintln!("loaded in {:.1} s", started.elapsed().as_secs_f64());
    let report = quality::run(&db, scale).await;
    print!("{}", quality::table(&report));
}
