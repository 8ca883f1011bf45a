//! SARIF 2.1.0 (OASIS), the format code-scanning dashboards ingest. A test validates the output
//! against the official schema. Columns are counted in Unicode code points, as steward's are.

use serde_json::{json, Map, Value};
use std::io::{self, Write};
use steward_core::{Diagnostic, Report, Severity};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub fn write(
    report: &Report,
    sorted: &[&Diagnostic],
    options: &crate::Options,
    out: &mut dyn Write,
) -> io::Result<()> {
    let rules: Vec<Value> = report
        .rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": camel(r.id),
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.summary},
                "help": {"text": r.docs, "markdown": r.docs},
                "defaultConfiguration": {"level": level(r.default_severity)},
                "properties": {"category": r.category.as_str(), "tags": [r.category.as_str()]},
            })
        })
        .collect();
    let results: Vec<Value> = sorted.iter().map(|d| result(report, d)).collect();
    let mut driver = Map::new();
    driver.insert("name".into(), json!("steward"));
    if !options.tool_version.is_empty() {
        driver.insert("version".into(), json!(options.tool_version));
        driver.insert("semanticVersion".into(), json!(options.tool_version));
    }
    driver.insert("rules".into(), Value::Array(rules));
    let s = &report.summary;
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "columnKind": "unicodeCodePoints",
            "invocations": [{"executionSuccessful": true}],
            "results": results,
            "properties": {
                "files": s.files, "statements": s.statements, "unparsed": s.unparsed,
                "errors": s.errors, "warnings": s.warnings, "infos": s.infos,
            },
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn result(report: &Report, d: &Diagnostic) -> Value {
    let mut r = Map::new();
    r.insert("ruleId".into(), json!(d.rule));
    if let Some(index) = report.rules.iter().position(|rule| rule.id == d.rule) {
        r.insert("ruleIndex".into(), json!(index));
    }
    r.insert("level".into(), json!(level(d.severity)));
    r.insert("message".into(), json!({"text": d.message}));
    let mut location = Map::new();
    if let Some(loc) = &d.location {
        let span = loc.span;
        location.insert(
            "physicalLocation".into(),
            json!({
                "artifactLocation": {"uri": uri(&loc.path)},
                "region": {
                    "startLine": span.start.line, "startColumn": span.start.column,
                    "endLine": span.end.line, "endColumn": span.end.column.max(1),
                },
            }),
        );
    }
    if let Some(object) = &d.object {
        location.insert(
            "logicalLocations".into(),
            json!([{"fullyQualifiedName": object}]),
        );
    }
    if !location.is_empty() {
        r.insert("locations".into(), json!([Value::Object(location)]));
    }
    let mut props = Map::new();
    props.insert("category".into(), json!(d.category.as_str()));
    if let Some(help) = &d.help {
        props.insert("help".into(), json!(help));
    }
    if let Some(fix) = &d.fix {
        props.insert("fix".into(), json!(fix));
    }
    if let Some(m) = &d.measured {
        props.insert("measured".into(), json!(m));
    }
    r.insert("properties".into(), Value::Object(props));
    Value::Object(r)
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// `fk-without-index` → `FkWithoutIndex` (SARIF's rule `name` is an identifier-like string).
fn camel(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// A path as a relative URI reference: forward slashes, reserved and non-ASCII bytes escaped.
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+;=@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_escaped() {
        assert_eq!(uri("./db/my file#1.sql"), "db/my%20file%231.sql");
        assert_eq!(uri("db\\x.sql"), "db/x.sql");
        assert_eq!(uri("migrations/ü.sql"), "migrations/%C3%BC.sql");
        assert_eq!(camel("fk-without-index"), "FkWithoutIndex");
    }
}
