//! A finished run, as reporters receive it.

use crate::diagnostic::{Category, Diagnostic, Severity, Summary};
use crate::source::SourceFile;

/// What a reporter needs to know about a rule (SARIF's rule table, help links).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleInfo {
    pub id: &'static str,
    pub category: Category,
    pub default_severity: Severity,
    /// One sentence: what the rule finds.
    pub summary: &'static str,
    /// Full Markdown docs (What it does / Why it matters / Example / Fix).
    pub docs: &'static str,
}

/// One run's result: findings, counts, the files they point into, and notes about what could
/// not be checked (e.g. a missing extension or privilege).
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Summary,
    pub sources: Vec<SourceFile>,
    /// Human-readable notes: checks skipped and why, statements not analysed, …
    pub notes: Vec<String>,
    /// Inputs that could not be read at all (path: reason); always shown, on stderr.
    pub unreadable: Vec<String>,
    /// What was examined when it was not files, e.g. `database "shop" at db1:5432 (PostgreSQL 15.4)`.
    pub target: Option<String>,
    /// Checks that could not run and how to enable them (a missing privilege or extension);
    /// always shown.
    pub not_checked: Vec<String>,
    /// Metadata of the rules that ran (or could have produced the diagnostics).
    pub rules: Vec<RuleInfo>,
}

impl Report {
    pub fn source(&self, path: &str) -> Option<&SourceFile> {
        self.sources.iter().find(|s| &*s.path == path)
    }

    pub fn rule(&self, id: &str) -> Option<&RuleInfo> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// Whether any finding is at or above `threshold` (drives exit code 1).
    pub fn fails(&self, threshold: Severity) -> bool {
        self.diagnostics.iter().any(|d| d.severity >= threshold)
    }
}
