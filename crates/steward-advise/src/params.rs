//! Making a normalised statement (`… WHERE id = $1`) explainable.
//!
//! PostgreSQL 16+ plans it as is with `EXPLAIN (GENERIC_PLAN)`. Older servers need values: each
//! `$n` compared with a column gets a representative value of that column from `pg_stats`
//! (a typical value for equality, a tail of the histogram for ranges), typed with the column's
//! type. When some `$n` has no column to take a value from, the statement is prepared and its
//! generic plan explained (`plan_cache_mode = force_generic_plan`, NULL arguments).

use crate::query::{analyse, placeholder, Analysis, Compare, ParamUse};
use crate::stats::{lookup, StatsMap};
use sqlparser::ast::{Expr, Statement, VisitMut, VisitorMut};
use std::ops::ControlFlow;
use steward_core::model::Model;

/// Representative values for LIMIT and OFFSET parameters: a page of 20; the 6th page.
const LIMIT_VALUE: &str = "20";
const OFFSET_VALUE: &str = "100";

/// How a statement's parameters were dealt with.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Binding {
    /// The statement has no parameters.
    None,
    /// `EXPLAIN (GENERIC_PLAN)` (PostgreSQL 16+).
    GenericPlan,
    /// Each `$n` replaced by a typed value from pg_stats: ($n, literal).
    Representative { values: Vec<(usize, String)> },
    /// PREPARE + force_generic_plan + EXECUTE with NULLs (some `$n` had no column).
    PreparedGeneric { parameters: usize },
}

/// A statement ready for EXPLAIN.
#[derive(Debug, Clone)]
pub struct Explainable {
    /// The statement as given.
    pub original: String,
    /// The statement to put after `EXPLAIN (…)` (values bound when [`Binding::Representative`]).
    pub sql: String,
    pub binding: Binding,
}

/// The highest `$n` in a statement (0 when there is none).
pub fn parameter_count(statement: &Statement) -> usize {
    let mut max = 0;
    steward_rules::util::for_each_expr(statement, |e| {
        if let Some(n) = placeholder(e) {
            max = max.max(n);
        }
    });
    max
}

/// Chooses how to explain `statement` (its text `text`) on a server of `version_num`.
pub fn bind(
    text: &str,
    statement: &Statement,
    analysis: &Analysis,
    stats: &StatsMap,
    version_num: u32,
) -> Explainable {
    let count = parameter_count(statement);
    let original = text.trim().trim_end_matches(';').to_string();
    if count == 0 {
        return Explainable {
            sql: original.clone(),
            original,
            binding: Binding::None,
        };
    }
    if version_num >= 160000 {
        return Explainable {
            sql: original.clone(),
            original,
            binding: Binding::GenericPlan,
        };
    }
    match representative_values(analysis, stats, count) {
        Some(values) => {
            let mut bound = statement.clone();
            let _ = bound.visit(&mut Substitute(&values));
            Explainable {
                sql: bound.to_string(),
                original,
                binding: Binding::Representative { values },
            }
        }
        None => Explainable {
            sql: original.clone(),
            original,
            binding: Binding::PreparedGeneric { parameters: count },
        },
    }
}

/// Convenience: parse, analyse against the model and bind.
pub fn bind_text(
    text: &str,
    model: &Model,
    stats: &StatsMap,
    version_num: u32,
) -> Result<Explainable, String> {
    let statement = crate::query::parse_one(text)?;
    let analysis = analyse(&statement, model);
    Ok(bind(text, &statement, &analysis, stats, version_num))
}

/// A typed literal for every `$1..$count`, or None when some parameter has no column with
/// statistics to take a value from.
fn representative_values(
    analysis: &Analysis,
    stats: &StatsMap,
    count: usize,
) -> Option<Vec<(usize, String)>> {
    let mut out = Vec::with_capacity(count);
    for n in 1..=count {
        let (_, usage) = analysis.params.iter().find(|(p, _)| *p == n)?;
        let literal = match usage {
            ParamUse::Limit => LIMIT_VALUE.to_string(),
            ParamUse::Offset => OFFSET_VALUE.to_string(),
            ParamUse::Column {
                table,
                column,
                compare,
            } => {
                let s = lookup(stats, table, column)?;
                // `c > $1 AND c < $2` is a window: bound it like BETWEEN, not by two tails
                // that would make it empty.
                let bounded = |want: Compare| {
                    analysis.params.iter().any(|(_, u)| {
                        matches!(u, ParamUse::Column { table: t, column: c, compare }
                            if t == table && c == column && *compare == want)
                    })
                };
                let compare = match compare {
                    Compare::Gt if bounded(Compare::Lt) => &Compare::Between(true),
                    Compare::Lt if bounded(Compare::Gt) => &Compare::Between(false),
                    other => other,
                };
                let value = representative(&s.histogram, &s.mcv, *compare)?;
                let type_name = if *compare == Compare::Like {
                    "text"
                } else {
                    s.type_name.as_str()
                };
                format!("'{}'::{type_name}", value.replace('\'', "''"))
            }
        };
        out.push((n, literal));
    }
    Some(out)
}

/// A value a typical call would pass: the middle of the histogram for equality (a value
/// that is not one of the most common ones — most lookups are for ordinary values), its
/// upper or lower tenth for ranges.
fn representative(histogram: &[String], mcv: &[String], compare: Compare) -> Option<String> {
    let at = |list: &[String], fraction: f64| -> Option<String> {
        if list.is_empty() {
            return None;
        }
        let i = ((list.len() - 1) as f64 * fraction).round() as usize;
        list.get(i.min(list.len() - 1)).cloned()
    };
    let fraction = match compare {
        Compare::Eq | Compare::Like => 0.5,
        // Spread the values of an IN list over the middle of the distribution.
        Compare::InList(i) => (0.5 + 0.05 * i as f64).min(0.95),
        Compare::Gt => 0.9,
        Compare::Lt => 0.1,
        Compare::Between(true) => 0.45,
        Compare::Between(false) => 0.55,
    };
    at(histogram, fraction).or_else(|| at(mcv, if compare.is_equality() { fraction } else { 0.0 }))
}

struct Substitute<'v>(&'v [(usize, String)]);

impl VisitorMut for Substitute<'_> {
    type Break = ();
    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        if let Expr::Value(v) = expr {
            if let sqlparser::ast::Value::Placeholder(p) = &v.value {
                let n: Option<usize> = p.strip_prefix('$').and_then(|d| d.parse().ok());
                if let Some((_, literal)) = self.0.iter().find(|(k, _)| Some(*k) == n) {
                    // The literal is printed, not re-parsed: an identifier holds it verbatim.
                    *expr = Expr::Identifier(sqlparser::ast::Ident::new(literal.clone()));
                }
            }
        }
        ControlFlow::Continue(())
    }
}

/// The statements to run, in order, to EXPLAIN an explainable statement with `options`
/// (e.g. `FORMAT JSON`), and the ones to clean up afterwards.
pub fn explain_script(e: &Explainable, options: &str) -> (Vec<String>, String, Vec<String>) {
    match &e.binding {
        Binding::None | Binding::Representative { .. } => (
            Vec::new(),
            format!("EXPLAIN ({options}) {}", e.sql),
            Vec::new(),
        ),
        Binding::GenericPlan => (
            Vec::new(),
            format!("EXPLAIN (GENERIC_PLAN, {options}) {}", e.sql),
            Vec::new(),
        ),
        Binding::PreparedGeneric { parameters } => {
            let nulls = vec!["NULL"; *parameters].join(", ");
            (
                vec![
                    format!("PREPARE steward_explain AS {}", e.sql),
                    "SET LOCAL plan_cache_mode = force_generic_plan".to_string(),
                ],
                format!("EXPLAIN ({options}) EXECUTE steward_explain({nulls})"),
                vec![
                    "DEALLOCATE steward_explain".to_string(),
                    "RESET plan_cache_mode".to_string(),
                ],
            )
        }
    }
}
