#![allow(clippy::expect_used)] // a benchmark aborts on broken set-up
//! Lint throughput: the corpus files, a 90 KB synthetic schema and 8× that, all rules on.
//! Run with `cargo bench -p steward-lint`. Prints the median of several runs per input and
//! the scaling ratio (8× the input should take at most 9× the time).

use std::time::{Duration, Instant};
use steward_core::SourceFile;
use steward_lint::config::{Flags, Settings};

fn median_time(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn bench(label: &str, path: &str, text: &str, settings: &Settings) -> Duration {
    // Warm up once, then time.
    let lint = || {
        let report = steward_lint::lint_sources(vec![SourceFile::new(path, text)], settings);
        std::hint::black_box(report.diagnostics.len());
    };
    lint();
    let runs = if text.len() > 500_000 { 7 } else { 21 };
    let t = median_time(runs, lint);
    let mb_s = text.len() as f64 / 1e6 / t.as_secs_f64();
    println!(
        "{label:<36} {:>9} bytes {:>10.2} ms {:>8.1} MB/s",
        text.len(),
        t.as_secs_f64() * 1e3,
        mb_s
    );
    t
}

fn main() {
    let mut settings = Settings::load(None, &Flags::default()).expect("default settings");
    // Every rule, including the ones off by default.
    settings.enabled = steward_rules::registry::all()
        .iter()
        .map(|r| r.meta().id)
        .collect();
    println!(
        "steward lint benchmark — all {} rules",
        settings.enabled.len()
    );
    let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/corpus");
    let mut files: Vec<_> = std::fs::read_dir(corpus)
        .expect("corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("corpus file");
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        bench(&name, &name, &text, &settings);
    }
    let small = steward_lint::synthetic::schema(90 * 1024);
    let large = steward_lint::synthetic::schema(8 * 90 * 1024);
    let t1 = bench("synthetic schema 90 KB", "s90.sql", &small, &settings);
    let t8 = bench(
        "synthetic schema 720 KB (8x)",
        "s720.sql",
        &large,
        &settings,
    );
    println!(
        "scaling: 8x input took {:.2}x the time (goal <= 9x); 90 KB goal <= 25 ms",
        t8.as_secs_f64() / t1.as_secs_f64()
    );
}
