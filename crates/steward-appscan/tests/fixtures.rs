//! Fixture-driven tests: every line marked `VULN` in a `vulnerable.*` file is reported, nothing
//! else is, and `safe.*` files report nothing. Also robustness on truncated and garbage input.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use steward_appscan::{scan, Construction, Language};

const LANGUAGES: [&str; 8] = [
    "python",
    "javascript",
    "go",
    "java",
    "ruby",
    "php",
    "csharp",
    "rust",
];

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// (language, path, contents) of every fixture file.
fn fixtures() -> Vec<(Language, PathBuf, String)> {
    let mut out = Vec::new();
    for lang in LANGUAGES {
        let dir = fixture_dir().join(lang);
        let mut entries: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            let language = Language::from_path(&path)
                .unwrap_or_else(|| panic!("{} has no language", path.display()));
            assert_eq!(
                language.name(),
                lang,
                "{} is in the wrong directory",
                path.display()
            );
            let text = fs::read_to_string(&path).unwrap();
            out.push((language, path, text));
        }
    }
    out
}

fn is_vulnerable(path: &Path) -> bool {
    path.file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("vulnerable")
}

fn marked_lines(text: &str) -> BTreeSet<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.trim_end().ends_with("VULN"))
        .map(|(i, _)| i + 1)
        .collect()
}

#[test]
fn every_language_has_both_fixtures() {
    let all = fixtures();
    for lang in LANGUAGES {
        let files: Vec<_> = all.iter().filter(|(l, _, _)| l.name() == lang).collect();
        let vulnerable: Vec<_> = files.iter().filter(|(_, p, _)| is_vulnerable(p)).collect();
        assert_eq!(vulnerable.len(), 1, "{lang}: one vulnerable fixture");
        assert_eq!(
            files.len(),
            2,
            "{lang}: one vulnerable and one safe fixture"
        );
        let marked = marked_lines(&vulnerable[0].2).len();
        assert!(marked >= 6, "{lang}: at least 6 VULN lines, found {marked}");
    }
}

#[test]
fn vulnerable_fixtures_report_exactly_the_marked_lines() {
    let mut failures = Vec::new();
    for (language, path, text) in fixtures().into_iter().filter(|(_, p, _)| is_vulnerable(p)) {
        let expected = marked_lines(&text);
        let findings = scan(language, &text);
        let found: BTreeSet<usize> = findings.iter().map(|f| f.line).collect();
        assert_eq!(
            found.len(),
            findings.len(),
            "{}: one finding per line",
            path.display()
        );
        if found != expected {
            let missing: Vec<_> = expected.difference(&found).collect();
            let extra: Vec<_> = found.difference(&expected).collect();
            failures.push(format!(
                "{}: missing {missing:?}, unexpected {extra:?}",
                path.display()
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn safe_fixtures_report_nothing() {
    let mut failures = Vec::new();
    for (language, path, text) in fixtures().into_iter().filter(|(_, p, _)| !is_vulnerable(p)) {
        for f in scan(language, &text) {
            failures.push(format!("{}:{}: {}", path.display(), f.line, f.message));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn findings_are_well_formed() {
    for (language, path, text) in fixtures().into_iter().filter(|(_, p, _)| is_vulnerable(p)) {
        let lines: Vec<&str> = text.lines().collect();
        for f in scan(language, &text) {
            let where_ = format!("{}:{}", path.display(), f.line);
            assert!(f.end_line >= f.line, "{where_}");
            assert!(f.column >= 1, "{where_}");
            let line = lines[f.line - 1];
            let at: String = line.chars().skip(f.column - 1).collect();
            let name = f.sink.rsplit(['.', ':', '>', ' ']).next().unwrap();
            assert!(
                at.starts_with(name),
                "{where_}: column {} does not point at {name}",
                f.column
            );
            assert!(f.message.ends_with(&f.sink), "{where_}: {}", f.message);
            assert!(!f.suggestion.is_empty(), "{where_}");
        }
    }
}

#[test]
fn messages_do_not_quote_the_source() {
    let cases = [
        (
            Language::Python,
            "cur.execute(\"SELECT hunter2_secret FROM t WHERE x = \" + y)",
        ),
        (
            Language::JavaScript,
            "db.query(`SELECT hunter2_secret FROM t WHERE x = ${y}`)",
        ),
        (
            Language::Go,
            "db.Exec(fmt.Sprintf(\"DELETE FROM hunter2_secret WHERE x = %s\", y))",
        ),
        (Language::Ruby, "User.where(\"hunter2_secret = '#{y}'\")"),
        (
            Language::Php,
            "<?php mysqli_query($c, \"SELECT hunter2_secret FROM t WHERE a = $y\");",
        ),
        (
            Language::CSharp,
            "new SqlCommand($\"SELECT hunter2_secret FROM t WHERE a = {y}\", c);",
        ),
        (
            Language::Java,
            "stmt.executeQuery(\"SELECT hunter2_secret FROM t WHERE a = \" + y);",
        ),
        (
            Language::Rust,
            "sqlx::query(&format!(\"SELECT hunter2_secret FROM t WHERE a = {}\", y))",
        ),
    ];
    for (language, src) in cases {
        let findings = scan(language, src);
        assert_eq!(findings.len(), 1, "{}: {src}", language.name());
        let f = &findings[0];
        assert!(
            !f.message.contains("hunter2") && !f.suggestion.contains("hunter2"),
            "{f:?}"
        );
    }
}

#[test]
fn constructions_are_classified() {
    let c = |language, src: &str| scan(language, src).first().map(|f| f.construction);
    assert_eq!(
        c(Language::Python, "cur.execute('SELECT 1 WHERE a = ' + b)"),
        Some(Construction::Concatenation)
    );
    assert_eq!(
        c(Language::Python, "cur.execute(f'SELECT 1 WHERE a = {b}')"),
        Some(Construction::Interpolation)
    );
    assert_eq!(
        c(Language::Python, "cur.execute('SELECT 1 WHERE a = %s' % b)"),
        Some(Construction::FormatCall)
    );
    assert_eq!(
        c(Language::Python, "q = f'SELECT {b}'\ncur.execute(q)"),
        Some(Construction::VariableBuiltEarlier)
    );
    assert_eq!(c(Language::Python, "cur.execute('SELECT 1')"), None);
}

#[test]
fn language_from_path() {
    let l = |p: &str| Language::from_path(Path::new(p));
    assert_eq!(l("a/b.py"), Some(Language::Python));
    for ext in ["js", "mjs", "cjs", "jsx", "ts", "tsx"] {
        assert_eq!(l(&format!("x.{ext}")), Some(Language::JavaScript));
    }
    assert_eq!(l("main.GO"), Some(Language::Go));
    assert_eq!(l("A.java"), Some(Language::Java));
    assert_eq!(l("x.rb"), Some(Language::Ruby));
    assert_eq!(l("x.php"), Some(Language::Php));
    assert_eq!(l("x.cs"), Some(Language::CSharp));
    assert_eq!(l("lib.rs"), Some(Language::Rust));
    assert_eq!(l("schema.sql"), None);
    assert_eq!(l("Makefile"), None);
}

const ALL: [Language; 8] = [
    Language::Python,
    Language::JavaScript,
    Language::Go,
    Language::Java,
    Language::Ruby,
    Language::Php,
    Language::CSharp,
    Language::Rust,
];

#[test]
fn every_prefix_of_every_fixture_scans_without_panicking() {
    for (language, _, text) in fixtures() {
        let mut ends: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        ends.push(text.len());
        for end in ends {
            let prefix = &text[..end];
            scan(language, prefix);
        }
    }
}

#[test]
fn every_fixture_scans_as_every_language() {
    for (_, _, text) in fixtures() {
        for language in ALL {
            scan(language, &text);
            // Suffixes start mid-string or mid-comment.
            for (i, _) in text.char_indices().step_by(97) {
                scan(language, &text[i..]);
            }
        }
    }
}

#[test]
fn garbage_input_does_not_panic() {
    // Deterministic xorshift so failures reproduce.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let pieces: &[&str] = &[
        "\"",
        "'",
        "`",
        "\"\"\"",
        "'''",
        "${",
        "#{",
        "{",
        "}",
        "(",
        ")",
        "[",
        "]",
        "<<~SQL\n",
        "SQL\n",
        "<<<EOT\n",
        "EOT;",
        "/*",
        "*/",
        "//",
        "#",
        "\n",
        "\\",
        "$",
        "@",
        "$\"",
        "@\"",
        "$$\"\"\"",
        "r#\"",
        "\"#",
        "f\"",
        "%q(",
        "=begin\n",
        "=end\n",
        "<?php ",
        "?>",
        "+",
        ".",
        "%",
        "execute(",
        "query(",
        "SELECT ",
        "x",
        "é",
        "€",
        "\u{0}",
        "\r\n",
        "new SqlCommand(",
        "format!(",
        "fmt.Sprintf(",
        "'a",
        "CommandText = ",
        "where ",
        "sql = ",
        "sql += ",
        "/",
        "?",
        ":",
        ",",
        ";",
        "=",
    ];
    for round in 0..3_000 {
        let mut s = String::new();
        let n = (next() % 60) as usize;
        for _ in 0..n {
            s.push_str(pieces[(next() % pieces.len() as u64) as usize]);
        }
        let language = ALL[round % ALL.len()];
        scan(language, &s);
    }
    // Arbitrary bytes, as the caller would pass them after lossy decoding.
    for round in 0..500 {
        let bytes: Vec<u8> = (0..(next() % 400)).map(|_| (next() & 0xff) as u8).collect();
        let s = String::from_utf8_lossy(&bytes);
        scan(ALL[round % ALL.len()], &s);
    }
}

#[test]
fn pathological_nesting_terminates() {
    let deep = |open: &str, close: &str, n: usize| format!("{}{}", open.repeat(n), close.repeat(n));
    for language in ALL {
        scan(language, &deep("`${", "}`", 5_000));
        scan(language, &deep("f\"{", "}\"", 5_000));
        scan(language, &deep("\"#{", "}\"", 5_000));
        scan(language, &deep("execute(", ")", 20_000));
        scan(language, &deep("(", ")", 50_000));
        scan(language, &"a = a = ".repeat(20_000));
        scan(language, &"<<~A\n".repeat(5_000));
        scan(language, &"/*".repeat(10_000));
    }
}
