//! GitHub Actions workflow commands (`::warning file=…,line=…::message`), which the runner turns
//! into annotations on the pull request's diff.

use std::io::{self, Write};
use steward_core::{Diagnostic, Report, Severity};

pub fn write(report: &Report, sorted: &[&Diagnostic], out: &mut dyn Write) -> io::Result<()> {
    for d in sorted {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = Vec::new();
        if let Some(loc) = &d.location {
            props.push(format!("file={}", property(&loc.path)));
            props.push(format!("line={}", loc.span.start.line));
            props.push(format!("col={}", loc.span.start.column));
            props.push(format!("endLine={}", loc.span.end.line));
            if loc.span.end.line == loc.span.start.line {
                props.push(format!("endColumn={}", loc.span.end.column));
            }
        }
        let title = match &d.object {
            Some(object) => format!("{} ({object})", d.rule),
            None => d.rule.to_string(),
        };
        props.push(format!("title={}", property(&title)));
        let mut body = d.message.clone();
        if let Some(help) = &d.help {
            body.push_str("\n\n");
            body.push_str(help);
        }
        if let Some(fix) = &d.fix {
            body.push_str("\n\nFix:\n");
            body.push_str(fix);
        }
        writeln!(out, "::{level} {}::{}", props.join(","), data(&body))?;
    }
    let s = &report.summary;
    writeln!(
        out,
        "steward: files={} statements={} not_analysed={} errors={} warnings={} infos={}",
        s.files, s.statements, s.unparsed, s.errors, s.warnings, s.infos
    )
}

/// Escapes a command's message (the runner's own escaping rules).
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value, which additionally cannot hold `:` or `,`.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_runner() {
        assert_eq!(data("50%\r\nnext"), "50%25%0D%0Anext");
        assert_eq!(property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
