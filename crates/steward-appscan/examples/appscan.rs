//! Scan files and print findings, or time the scanner on ~1 MB inputs.
//!
//! ```text
//! cargo run --release -p steward-appscan --example appscan -- path/to/file.py …
//! cargo run --release -p steward-appscan --example appscan -- --bench [name]
//! ```

use std::path::Path;
use std::time::Instant;

use steward_appscan::{scan, Language};

const FIXTURES: &[&str] = &[
    "python/vulnerable.py",
    "python/safe.py",
    "javascript/vulnerable.ts",
    "javascript/safe.js",
    "go/vulnerable.go",
    "go/safe.go",
    "java/vulnerable.java",
    "java/safe.java",
    "ruby/vulnerable.rb",
    "ruby/safe.rb",
    "php/vulnerable.php",
    "php/safe.php",
    "csharp/vulnerable.cs",
    "csharp/safe.cs",
    "rust/vulnerable.rs",
    "rust/safe.rs",
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--bench") {
        bench(args.get(1).map(String::as_str));
        return;
    }
    for arg in args {
        let path = Path::new(&arg);
        let Some(language) = Language::from_path(path) else {
            eprintln!("{arg}: unknown language");
            continue;
        };
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{arg}: {e}");
                continue;
            }
        };
        let text = String::from_utf8_lossy(&bytes);
        for f in scan(language, &text) {
            println!(
                "{arg}:{}:{}: [{:?}] {}\n    fix: {}",
                f.line, f.column, f.construction, f.message, f.suggestion
            );
        }
    }
}

/// Time each case whose name contains `only` (all cases by default).
fn bench(only: Option<&str>) {
    let wanted = |name: &str| only.is_none_or(|o| name.contains(o));
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for pair in FIXTURES.chunks(2) {
        let mut one = String::new();
        let mut language = None;
        for name in pair {
            let path = dir.join(name);
            language = Language::from_path(&path);
            match std::fs::read_to_string(&path) {
                Ok(t) => one.push_str(&t),
                Err(e) => {
                    eprintln!("{name}: {e}");
                    return;
                }
            }
            one.push('\n');
        }
        let Some(language) = language else { return };
        if !wanted(language.name()) {
            continue;
        }
        // PHP files switch back to HTML at the end; each copy reopens `<?php`.
        let copies = (1 << 20) / one.len().max(1) + 1;
        let big = one.repeat(copies);
        let mut best = f64::MAX;
        let mut findings = 0;
        for _ in 0..5 {
            let start = Instant::now();
            findings = scan(language, &big).len();
            best = best.min(start.elapsed().as_secs_f64());
        }
        println!(
            "{:<10} {:>7} bytes  {:>6.1} ms  {:>7.1} MB/s  {} findings",
            language.name(),
            big.len(),
            best * 1e3,
            big.len() as f64 / best / 1e6,
            findings
        );
    }
    // Worst cases: one huge line, deep nesting, many heredocs.
    let minified = "var a=b+`${c}`;db.query(\"SELECT \"+x);".repeat(1 << 15);
    let nested = format!("{}{}", "q(`${".repeat(100_000), "}`)".repeat(100_000));
    let heredocs = "x = <<~A\n".repeat(100_000);
    for (name, language, text) in [
        ("minified", Language::JavaScript, minified),
        ("nested", Language::JavaScript, nested),
        ("heredocs", Language::Ruby, heredocs),
    ] {
        if !wanted(name) {
            continue;
        }
        let start = Instant::now();
        let n = scan(language, &text).len();
        println!(
            "{name:<10} {:>7} bytes  {:>6.1} ms  {n} findings",
            text.len(),
            start.elapsed().as_secs_f64() * 1e3
        );
    }
}
