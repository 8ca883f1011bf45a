//! `steward lint --app-code PATHS`: SQL built from strings in application source, found by
//! `steward-appscan` and reported as `app-code-sql-injection` diagnostics.
//!
//! Directories are walked like SQL inputs (`.gitignore` respected, hidden files skipped) for
//! the languages the scanner knows; `node_modules` and `vendor` hold other people's code and
//! are skipped. Findings carry a location but the report gets no source excerpt: application
//! lines may hold secrets, and the scanner's messages never quote string contents.

use crate::config::Settings;
use crate::input::{self, Unreadable};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use steward_appscan::Language;
use steward_core::{Diagnostic, Location, Position, Report, Span, Summary};
use steward_rules::rules::security::app_code_sql_injection::AppCodeSqlInjection;

/// What scanning application code found.
#[derive(Debug, Default)]
pub struct AppScan {
    pub diagnostics: Vec<Diagnostic>,
    /// Source files scanned.
    pub files: usize,
    pub unreadable: Vec<Unreadable>,
}

/// Directories of third-party code, never the user's.
const SKIPPED_DIRS: &[&str] = &["node_modules", "vendor", "bower_components"];

/// Adds application-code findings to a report (an empty one when no SQL was linted).
pub fn merge(report: &mut Report, scan: AppScan) {
    report.summary.files += scan.files;
    report.unreadable.extend(
        scan.unreadable
            .iter()
            .map(|u| format!("{}: {}", u.path, u.reason)),
    );
    report.diagnostics.extend(scan.diagnostics);
    report
        .diagnostics
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let files = report.summary.files;
    let statements = report.summary.statements;
    let unparsed = report.summary.unparsed;
    report.summary = Summary {
        files,
        statements,
        unparsed,
        ..Summary::default()
    };
    report.summary.count(&report.diagnostics);
    if report.rules.is_empty() {
        report.rules = steward_rules::registry::all()
            .into_iter()
            .map(|r| r.meta().info())
            .collect();
    }
}

/// Scans files and directories of application code.
pub fn scan_paths(paths: &[PathBuf], settings: &Settings) -> AppScan {
    let mut out = AppScan::default();
    let (files, unreadable) = discover(paths);
    out.unreadable = unreadable;
    for path in files {
        let Some(language) = Language::from_path(&path) else {
            out.unreadable.push(Unreadable {
                path: path.display().to_string(),
                reason: "not a source file of a language the scanner knows (Python, JavaScript/TypeScript, Go, Java, Ruby, PHP, C#, Rust)".into(),
            });
            continue;
        };
        let file = match input::read(&path) {
            Ok(f) => f,
            Err(u) => {
                out.unreadable.push(u);
                continue;
            }
        };
        out.files += 1;
        out.diagnostics
            .extend(scan_text(&file.path, language, &file.text, settings));
    }
    out
}

/// Findings of one source text, with suppressions and configured severities applied.
pub fn scan_text(
    path: &str,
    language: Language,
    text: &str,
    settings: &Settings,
) -> Vec<Diagnostic> {
    let meta = &AppCodeSqlInjection::META;
    let lines: Vec<&str> = text.lines().collect();
    let shown: Arc<str> = Arc::from(path);
    let mut out = Vec::new();
    for f in steward_appscan::scan(language, text) {
        if suppressed(&lines, f.line, meta.id) {
            continue;
        }
        let Some(severity) = settings.severity_for(meta.id, meta.severity, Some(path)) else {
            continue;
        };
        let line = u32::try_from(f.line).unwrap_or(u32::MAX);
        let column = u32::try_from(f.column).unwrap_or(u32::MAX);
        let end_line = u32::try_from(f.end_line).unwrap_or(line);
        let mut d = meta
            .diag(f.message)
            .at(Some(Location {
                path: shown.clone(),
                span: Span::new(Position::new(line, column), Position::new(end_line, 1)),
            }))
            .object(f.sink)
            .help(format!(
                "Whoever controls the spliced value controls the statement; {}",
                f.suggestion
            ));
        d.severity = severity;
        out.push(d);
    }
    out
}

/// `steward-ignore` (optionally naming this rule) on the finding's line or the line above.
fn suppressed(lines: &[&str], line: usize, id: &str) -> bool {
    let mentions = |l: &&str| {
        l.find("steward-ignore").is_some_and(|at| {
            let rest = &l[at + "steward-ignore".len()..];
            let named = rest.trim_start_matches(':').trim();
            named.is_empty() || named.split([',', ' ']).any(|r| r.trim() == id)
        })
    };
    let here = line.checked_sub(1).and_then(|i| lines.get(i));
    let above = line.checked_sub(2).and_then(|i| lines.get(i));
    here.is_some_and(mentions) || above.is_some_and(mentions)
}

fn discover(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Unreadable>) {
    let mut files = Vec::new();
    let mut unreadable = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Err(e) => unreadable.push(Unreadable {
                path: path.display().to_string(),
                reason: input::io_reason(&e),
            }),
            Ok(meta) if meta.is_dir() => {
                let mut found: Vec<PathBuf> = ignore::WalkBuilder::new(path)
                    .hidden(true)
                    .git_ignore(true)
                    .require_git(false)
                    .filter_entry(|e| {
                        !(e.file_type().is_some_and(|t| t.is_dir())
                            && SKIPPED_DIRS.iter().any(|d| e.file_name() == *d))
                    })
                    .build()
                    .filter_map(Result::ok)
                    .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
                    .map(|e| e.into_path())
                    .filter(|p| Language::from_path(p).is_some() && !minified(p))
                    .collect();
                found.sort();
                files.extend(found);
            }
            Ok(_) => files.push(path.clone()),
        }
    }
    (files, unreadable)
}

/// Bundled, minified JavaScript (`app.min.js`) is generated, not written.
fn minified(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.contains(".min."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suppression_on_the_line_or_above_with_or_without_the_id() {
        let lines = [
            "x = 1",
            "# steward-ignore: app-code-sql-injection",
            "cur.execute(q)",
            "cur.execute(q)  # steward-ignore",
            "# steward-ignore: other-rule",
            "cur.execute(q)",
        ];
        assert!(!suppressed(&lines, 1, "app-code-sql-injection"));
        assert!(suppressed(&lines, 3, "app-code-sql-injection"));
        assert!(suppressed(&lines, 4, "app-code-sql-injection"));
        assert!(!suppressed(&lines, 6, "app-code-sql-injection"));
    }
}
