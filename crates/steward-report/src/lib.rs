//! steward's reporters. Each turns a finished [`Report`] into bytes; none of them knows whether a
//! finding came from a file, a live server or a workload.
//!
//! - `text`: for people at a terminal — rustc-style, with the source line under each finding.
//! - `json`: the stable machine contract (DESIGN.md, "JSON output"), exactly.
//! - `sarif`: SARIF 2.1.0 for code-scanning dashboards.
//! - `github`: GitHub Actions workflow commands, which become inline annotations on a pull request.

mod github;
mod json;
mod sarif;
mod text;

use std::io::{self, Write};
use steward_core::Report;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Github,
}

/// Rendering options.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// ANSI colour in text output.
    pub color: bool,
    /// steward's version, recorded in SARIF.
    pub tool_version: String,
    /// Print notes (statements not analysed, checks skipped) in text output.
    pub verbose: bool,
}

/// Writes `report` in `format` to `out`. Diagnostics are printed in [`Diagnostic::sort_key`]
/// order whatever order they arrive in, so output is stable across runs.
///
/// [`Diagnostic::sort_key`]: steward_core::Diagnostic::sort_key
pub fn write(
    format: Format,
    report: &Report,
    options: &Options,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut sorted: Vec<&steward_core::Diagnostic> = report.diagnostics.iter().collect();
    sorted.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    match format {
        Format::Text => text::write(report, &sorted, options, out),
        Format::Json => json::write(report, &sorted, out),
        Format::Sarif => sarif::write(report, &sorted, options, out),
        Format::Github => github::write(report, &sorted, out),
    }
}

/// Renders to a string (tests, MCP).
pub fn render(format: Format, report: &Report, options: &Options) -> String {
    let mut buf = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write(format, report, options, &mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}
