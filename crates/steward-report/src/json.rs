//! The JSON contract: one object `{version, diagnostics, summary}`, field for field as in
//! DESIGN.md. `file`/`line`/… are null for live findings; `object`/`help`/`fix` null when absent.

use serde::Serialize;
use std::io::{self, Write};
use steward_core::{Diagnostic, Measure, Report, Summary};

/// Bumped only on incompatible changes; consumers check it.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    diagnostics: Vec<Entry<'a>>,
    summary: &'a Summary,
    /// Live runs: what was examined, and checks that could not run.
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    not_checked: &'a [String],
}

#[derive(Serialize)]
struct Entry<'a> {
    rule: &'a str,
    category: &'a str,
    severity: &'a str,
    file: Option<&'a str>,
    line: Option<u32>,
    column: Option<u32>,
    end_line: Option<u32>,
    end_column: Option<u32>,
    object: Option<&'a str>,
    message: &'a str,
    help: Option<&'a str>,
    fix: Option<&'a str>,
    /// Live findings only: `{value, threshold, unit}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    measured: Option<&'a Measure>,
}

impl<'a> From<&'a Diagnostic> for Entry<'a> {
    fn from(d: &'a Diagnostic) -> Self {
        let loc = d.location.as_ref();
        Entry {
            rule: d.rule,
            category: d.category.as_str(),
            severity: d.severity.as_str(),
            file: loc.map(|l| &*l.path),
            line: loc.map(|l| l.span.start.line),
            column: loc.map(|l| l.span.start.column),
            end_line: loc.map(|l| l.span.end.line),
            end_column: loc.map(|l| l.span.end.column),
            object: d.object.as_deref(),
            message: &d.message,
            help: d.help.as_deref(),
            fix: d.fix.as_deref(),
            measured: d.measured.as_ref(),
        }
    }
}

pub fn write(report: &Report, sorted: &[&Diagnostic], out: &mut dyn Write) -> io::Result<()> {
    let output = Output {
        version: VERSION,
        diagnostics: sorted.iter().map(|d| Entry::from(*d)).collect(),
        summary: &report.summary,
        target: report.target.as_deref(),
        not_checked: &report.not_checked,
    };
    serde_json::to_writer_pretty(&mut *out, &output)?;
    writeln!(out)
}
