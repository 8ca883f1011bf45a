//! Human output, rustc style: the finding, where it is, the source line with the span marked,
//! then why it matters and the SQL that fixes it.

use std::io::{self, Write};
use steward_core::{Diagnostic, Report, Severity, SourceFile};

struct Paint {
    on: bool,
}

impl Paint {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn severity(&self, severity: Severity) -> String {
        let code = match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        };
        self.paint(code, severity.as_str())
    }
    fn gutter(&self, s: &str) -> String {
        self.paint("1;34", s)
    }
    fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
}

pub fn write(
    report: &Report,
    sorted: &[&Diagnostic],
    options: &crate::Options,
    out: &mut dyn Write,
) -> io::Result<()> {
    let p = Paint { on: options.color };
    for d in sorted {
        diagnostic(report, d, &p, out)?;
    }
    if options.verbose {
        for note in &report.notes {
            writeln!(out, "{}: {note}", p.bold("note"))?;
        }
    }
    for note in &report.not_checked {
        writeln!(out, "{}: not checked: {note}", p.bold("note"))?;
    }
    summary(report, options, &p, out)
}

fn diagnostic(report: &Report, d: &Diagnostic, p: &Paint, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{}{}: {}",
        p.severity(d.severity),
        p.bold(&format!("[{}]", d.rule)),
        p.bold(&d.message)
    )?;
    let snippet = d.location.as_ref().and_then(|loc| {
        let source = report.source(&loc.path)?;
        Some((loc, source))
    });
    let width = snippet
        .map(|(loc, _)| loc.span.start.line.to_string().len())
        .unwrap_or(1);
    let pad = " ".repeat(width);
    if let Some(loc) = &d.location {
        let s = loc.span.start;
        writeln!(
            out,
            "{pad}{} {}:{}:{}",
            p.gutter("-->"),
            loc.path,
            s.line,
            s.column
        )?;
    }
    if let Some((loc, source)) = snippet {
        if let Some((line, marks)) = underline(source, loc.span) {
            let bar = p.gutter("|");
            writeln!(out, "{pad} {bar}")?;
            writeln!(
                out,
                "{} {bar} {line}",
                p.gutter(&loc.span.start.line.to_string())
            )?;
            writeln!(
                out,
                "{pad} {bar} {}",
                p.paint(severity_code(d.severity), &marks)
            )?;
        }
    }
    let eq = p.gutter("=");
    if let Some(object) = &d.object {
        writeln!(out, "{pad} {eq} object: {object}")?;
    }
    if let Some(measured) = &d.measured {
        writeln!(out, "{pad} {eq} measured: {measured}")?;
    }
    if let Some(help) = &d.help {
        let mut lines = help.lines();
        writeln!(
            out,
            "{pad} {eq} {} {}",
            p.bold("help:"),
            lines.next().unwrap_or("")
        )?;
        for line in lines {
            writeln!(out, "{pad}         {line}")?;
        }
    }
    if let Some(fix) = &d.fix {
        writeln!(out, "{pad} {eq} {}", p.bold("fix:"))?;
        for line in fix.lines() {
            writeln!(out, "{pad}     {line}")?;
        }
    }
    writeln!(out)
}

fn severity_code(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Info => "1;36",
    }
}

/// The span's first line (tabs expanded) and a caret line under the span's part on it.
fn underline(source: &SourceFile, span: steward_core::Span) -> Option<(String, String)> {
    let raw = source.line_text(span.start.line)?;
    let start = span.start.column.saturating_sub(1) as usize;
    let end = if span.end.line == span.start.line {
        (span.end.column.saturating_sub(1) as usize).max(start + 1)
    } else {
        raw.chars().count().max(start + 1)
    };
    let mut line = String::new();
    let mut marks = String::new();
    for (i, c) in raw.chars().enumerate() {
        let (shown, w) = if c == '\t' {
            ("    ".to_string(), 4)
        } else {
            (c.to_string(), 1)
        };
        line.push_str(&shown);
        let mark = if i >= start && i < end { '^' } else { ' ' };
        marks.extend(std::iter::repeat_n(mark, w));
    }
    if start >= raw.chars().count() {
        marks.push('^');
    }
    Some((line.trim_end().to_string(), marks.trim_end().to_string()))
}

fn summary(
    report: &Report,
    options: &crate::Options,
    p: &Paint,
    out: &mut dyn Write,
) -> io::Result<()> {
    let s = &report.summary;
    let mut line = match &report.target {
        Some(target) => target.clone(),
        None => format!(
            "{} {}, {} {}",
            s.files,
            plural(s.files, "file", "files"),
            s.statements,
            plural(s.statements, "statement", "statements")
        ),
    };
    if s.unparsed > 0 {
        line.push_str(&format!(" ({} not analysed", s.unparsed));
        if !options.verbose && !report.notes.is_empty() {
            line.push_str("; -v lists them");
        }
        line.push(')');
    }
    if report.diagnostics.is_empty() {
        writeln!(out, "{}: no problems found in {line}", p.bold("steward"))
    } else {
        writeln!(
            out,
            "{}: {} {}, {} {}, {} {} in {line}",
            p.bold("steward"),
            s.errors,
            plural(s.errors, "error", "errors"),
            s.warnings,
            plural(s.warnings, "warning", "warnings"),
            s.infos,
            plural(s.infos, "info", "infos"),
        )
    }
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}
