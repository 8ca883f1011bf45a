//! Rendering a report to stdout in the chosen format.

use crate::cli::{ColorChoice, Format, OutputArgs};
use std::io::{IsTerminal, Write};
use steward_core::Report;

/// Prints a report; returns whether it fails at `fail_on`.
pub fn print(
    report: &Report,
    args: &OutputArgs,
    fail_on: steward_core::Severity,
) -> anyhow::Result<bool> {
    let format = match args.format {
        Format::Text => steward_report::Format::Text,
        Format::Json => steward_report::Format::Json,
        Format::Sarif => steward_report::Format::Sarif,
        Format::Github => steward_report::Format::Github,
    };
    for unreadable in &report.unreadable {
        eprintln!("steward: warning: could not read {unreadable}");
    }
    let stdout = std::io::stdout();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let options = steward_report::Options {
        color,
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        verbose: args.verbose,
    };
    let mut out = std::io::BufWriter::new(stdout.lock());
    if let Err(e) =
        steward_report::write(format, report, &options, &mut out).and_then(|()| out.flush())
    {
        // A closed pipe (`steward lint | head`) is not an error worth reporting.
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return Err(e.into());
        }
    }
    Ok(report.fails(fail_on))
}
