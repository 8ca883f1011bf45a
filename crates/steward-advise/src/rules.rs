//! Every query rule of `steward lint` on every statement shape of the workload — the same
//! engine and rules, with the shape's measured call count attached so a finding says how
//! often the problem runs.

use crate::workload::normalise::is_transaction_control;
use crate::workload::Workload;
use steward_core::model::Model;
use steward_core::{Diagnostic, Dialect};
use steward_rules::Rule;

/// One query-rule finding on one workload shape.
#[derive(Debug, Clone)]
pub struct QueryFinding {
    /// Index of the shape in the workload.
    pub query: usize,
    pub diagnostic: Diagnostic,
}

/// The query rules' results over a workload.
#[derive(Debug, Clone, Default)]
pub struct RuleRun {
    pub findings: Vec<QueryFinding>,
    /// Shapes parsed and checked.
    pub analysed: usize,
    /// Shapes the parser could not analyse (indexes into the workload).
    pub unparsed: Vec<usize>,
}

/// Runs `rules` (query-scope ones; others are ignored) on each shape of `workload` against
/// `model` (the live catalog, or an empty model offline).
pub fn run(workload: &Workload, model: &Model, rules: &[&dyn Rule]) -> RuleRun {
    let mut run = RuleRun::default();
    for (index, query) in workload.queries.iter().enumerate() {
        if is_transaction_control(&query.text) {
            continue;
        }
        let statements = steward_sql::parse_text(&query.text, Dialect::Postgres, "workload");
        if statements.is_empty() || statements.iter().any(|s| s.ast().is_none()) {
            run.unparsed.push(index);
            continue;
        }
        run.analysed += 1;
        let diagnostics = steward_rules::run_queries(
            statements.iter().map(|s| (s, Some(query.calls))),
            model,
            rules,
        );
        let mut seen: Vec<(&'static str, String)> = Vec::new();
        for diagnostic in diagnostics {
            let key = (diagnostic.rule, diagnostic.message.clone());
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            run.findings.push(QueryFinding {
                query: index,
                diagnostic,
            });
        }
    }
    run
}
