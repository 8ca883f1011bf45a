//! `steward lint`: files in, a [`Report`] out.
//!
//! Discovery (directories walked, `.gitignore` respected, files sorted so migrations read as
//! a history), configuration, dialect detection, the rule engine, inline suppressions and the
//! summary. No printing: the CLI renders the report.

pub mod app_code;
pub mod config;
pub mod input;
pub mod synthetic;

use config::Settings;
use std::collections::BTreeMap;
use std::path::PathBuf;
use steward_core::statement::{Parsed, Statement};
use steward_core::{Diagnostic, Dialect, Report, SourceFile, Summary};
use steward_sql::ParsedFile;

/// Nothing could be linted (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum LintError {
    #[error("nothing to lint: {0}")]
    NothingReadable(String),
}

/// Lints files and directories.
pub fn lint_paths(paths: &[PathBuf], settings: &Settings) -> Result<Report, LintError> {
    let (files, unreadable) = input::discover(paths);
    let mut inputs = Vec::new();
    let mut unreadable: Vec<String> = unreadable
        .iter()
        .map(|s| format!("{}: {}", s.path, s.reason))
        .collect();
    for file in &files {
        match input::read(file) {
            Ok(i) => inputs.push(i),
            Err(s) => unreadable.push(format!("{}: {}", s.path, s.reason)),
        }
    }
    if inputs.is_empty() {
        let why = if !unreadable.is_empty() {
            unreadable.join("; ")
        } else {
            format!(
                "no SQL files found in {}",
                paths
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        return Err(LintError::NothingReadable(why));
    }
    let mut report = lint_sources(
        inputs
            .into_iter()
            .map(|i| SourceFile::new(i.path, i.text))
            .collect(),
        settings,
    );
    report.unreadable = unreadable;
    Ok(report)
}

/// A schema read from files, without running any rule (for generators).
pub struct SchemaFiles {
    pub model: steward_core::model::Model,
    /// Statements that could not be parsed (the model may miss what they define).
    pub unparsed: usize,
    pub unreadable: Vec<String>,
}

/// The schema as `paths` (migrations in order, or a dump) leave it.
pub fn schema_of_paths(
    paths: &[PathBuf],
    dialect: Option<Dialect>,
) -> Result<SchemaFiles, LintError> {
    let (files, unreadable) = input::discover(paths);
    let mut unreadable: Vec<String> = unreadable
        .iter()
        .map(|s| format!("{}: {}", s.path, s.reason))
        .collect();
    let mut parsed = Vec::new();
    for (index, file) in files.iter().enumerate() {
        match input::read(file) {
            Ok(i) => {
                let source = SourceFile::new(i.path, i.text);
                let d = dialect
                    .unwrap_or_else(|| steward_sql::detect::detect(&source.path, &source.text));
                parsed.push((d, steward_sql::parse_file(source, d, index)));
            }
            Err(s) => unreadable.push(format!("{}: {}", s.path, s.reason)),
        }
    }
    if parsed.is_empty() {
        return Err(LintError::NothingReadable(if unreadable.is_empty() {
            "no SQL files found".to_string()
        } else {
            unreadable.join("; ")
        }));
    }
    let dialect = dialect.unwrap_or(parsed[0].0);
    let files: Vec<ParsedFile> = parsed
        .into_iter()
        .filter(|(d, _)| *d == dialect)
        .map(|(_, f)| f)
        .collect();
    let unparsed = files
        .iter()
        .flat_map(|f| &f.statements)
        .filter(|s| !s.analysed())
        .count();
    let run = steward_rules::run_files(&files, dialect, &[]);
    Ok(SchemaFiles {
        model: run.model,
        unparsed,
        unreadable,
    })
}

/// Lints in-memory sources (used by the CLI, tests and the MCP server).
pub fn lint_sources(sources: Vec<SourceFile>, settings: &Settings) -> Report {
    let rules = settings.rules();
    let mut parsed_by_dialect: BTreeMap<Dialect, Vec<ParsedFile>> = BTreeMap::new();
    for (index, source) in sources.iter().enumerate() {
        let dialect = settings
            .dialect
            .unwrap_or_else(|| steward_sql::detect::detect(&source.path, &source.text));
        let parsed = steward_sql::parse_file(source.clone(), dialect, index);
        parsed_by_dialect.entry(dialect).or_default().push(parsed);
    }
    let mut diagnostics = Vec::new();
    let mut summary = Summary {
        files: sources.len(),
        ..Summary::default()
    };
    let mut notes = Vec::new();
    for (dialect, files) in &parsed_by_dialect {
        let run = steward_rules::run_files(files, *dialect, &rules);
        diagnostics.extend(run.diagnostics);
        for file in files {
            diagnostics.extend(directive_findings(file));
            summary.statements += file.statements.len();
            summary.unparsed += file.statements.iter().filter(|s| !s.analysed()).count();
            notes.extend(not_analysed_notes(file));
        }
    }
    let mut diagnostics = apply_suppressions(diagnostics, &parsed_by_dialect, settings);
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
    summary.count(&diagnostics);
    Report {
        diagnostics,
        summary,
        sources,
        notes,
        unreadable: Vec::new(),
        target: None,
        not_checked: Vec::new(),
        rules: steward_rules::registry::all()
            .into_iter()
            .map(|r| r.meta().info())
            .collect(),
    }
}

/// Notes for statements that were recognised but not analysed.
fn not_analysed_notes(file: &ParsedFile) -> Vec<String> {
    file.statements
        .iter()
        .filter_map(|s| match &s.parsed {
            Parsed::Recognised {
                kind,
                analysed: false,
            } => Some(format!(
                "{}:{}:{}: {kind} statement not analysed (valid SQL the parser does not support)",
                s.location.path, s.location.span.start.line, s.location.span.start.column
            )),
            _ => None,
        })
        .collect()
}

/// Malformed `steward:` directives and unknown rule ids in them are findings, not silence.
fn directive_findings(file: &ParsedFile) -> Vec<Diagnostic> {
    let meta = &steward_rules::rules::correctness::invalid_suppression::InvalidSuppression::META;
    let mut out = Vec::new();
    for p in &file.directive_problems {
        out.push(
            meta.diag(p.message.clone())
                .at(Some(file.source.location(p.range.clone()))),
        );
    }
    for d in &file.directives {
        for id in &d.rules {
            if steward_rules::registry::find(id).is_none() {
                out.push(
                    meta.diag(format!("unknown rule `{id}` in steward directive"))
                        .at(Some(file.source.location(d.range.clone())))
                        .help("see `steward rules` for the list of rule ids"),
                );
            }
        }
    }
    out
}

/// Drops findings suppressed inline or by path overrides; applies configured severities.
fn apply_suppressions(
    diagnostics: Vec<Diagnostic>,
    files: &BTreeMap<Dialect, Vec<ParsedFile>>,
    settings: &Settings,
) -> Vec<Diagnostic> {
    let by_path: BTreeMap<&str, &ParsedFile> = files
        .values()
        .flatten()
        .map(|f| (&*f.source.path, f))
        .collect();
    diagnostics
        .into_iter()
        .filter_map(|mut d| {
            let path = d.location.as_ref().map(|l| l.path.clone());
            if let (Some(path), Some(location)) = (path.as_deref(), d.location.as_ref()) {
                if let Some(file) = by_path.get(path) {
                    let suppressed_file = file
                        .file_directives
                        .iter()
                        .any(|fd| fd.rules.is_empty() || fd.rules.iter().any(|r| r == d.rule));
                    let statement = statement_at(&file.statements, location.span.start);
                    let suppressed_here = statement
                        .is_some_and(|s| s.suppressions.iter().any(|r| r == "*" || r == d.rule));
                    if (suppressed_file || suppressed_here) && d.rule != "invalid-suppression" {
                        return None;
                    }
                }
            }
            d.severity = settings.severity_for(d.rule, d.severity, path.as_deref())?;
            Some(d)
        })
        .collect()
}

/// The statement containing a position (statements are in file order).
fn statement_at(statements: &[Statement], at: steward_core::Position) -> Option<&Statement> {
    let idx = statements.partition_point(|s| s.location.span.start <= at);
    let candidate = statements.get(idx.checked_sub(1)?)?;
    (at <= candidate.location.span.end).then_some(candidate)
}
