//! `steward explain`: a statement's plan (`EXPLAIN (FORMAT JSON)`, with `--analyze` also
//! executed) and what is wrong with it, in plain language, each finding with its node path
//! (`Limit → Sort → Seq Scan on orders`).
//!
//! Safety: plain EXPLAIN runs in a READ ONLY transaction. ANALYZE executes the statement, so
//! statements that write (INSERT, UPDATE, DELETE, MERGE, data-modifying CTEs, SELECT … FOR
//! UPDATE) are refused unless `allow_writes`; then they run in a transaction that is always
//! rolled back. DDL is refused (EXPLAIN cannot plan it). `$n` parameters get representative
//! values from `pg_stats` (or, without ANALYZE on PostgreSQL 16+, a generic plan); when no value
//! can be found the statement is refused with the parameters named.

use crate::params::{bind, Binding};
use crate::plan::{explain, simple, Plan, PlanNode};
use crate::query::{analyse, parse_one};
use serde::Serialize;
use sqlparser::ast::{SetExpr, Statement};
use steward_core::model::{Model, QualName};
use tokio_postgres::Client;

/// Rows from which a table counts as large (a sequential scan of it is worth a finding).
pub const LARGE_TABLE_ROWS: f64 = 10_000.0;
/// A filter keeping at most this fraction of a large table's rows is selective.
pub const SELECTIVE_FRACTION: f64 = 0.05;
/// Estimates off by this factor (either way) are reported (with ANALYZE).
pub const ESTIMATE_FACTOR: f64 = 10.0;
/// Outer sides of nested loops with at least this many rows are reported.
pub const NESTED_LOOP_OUTER_ROWS: f64 = 10_000.0;

#[derive(Debug, Clone, Default)]
pub struct ExplainOptions {
    pub analyze: bool,
    pub allow_writes: bool,
}

/// Why the statement was not explained.
#[derive(Debug, thiserror::Error)]
pub enum ExplainError {
    /// Not run on purpose (a write without --allow-writes, DDL, unbindable parameters).
    #[error("{0}")]
    Refused(String),
    #[error("cannot parse the statement: {0}")]
    Parse(String),
    #[error(transparent)]
    Catalog(#[from] steward_pg::catalog::CatalogError),
    #[error("{what} failed: {message}")]
    Query { what: String, message: String },
}

/// One problem in the plan.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Finding {
    /// `seq-scan-selective`, `bad-estimate`, `spill`, `nested-loop-large-outer`,
    /// `join-without-index`.
    pub kind: &'static str,
    /// Node path from the root.
    pub path: String,
    pub message: String,
    pub help: String,
}

/// A statement's plan and findings.
#[derive(Debug, Clone, Serialize)]
pub struct ExplainReport {
    pub statement: String,
    /// What was actually EXPLAINed (with bound values).
    pub explained: String,
    pub binding: Binding,
    pub analyzed: bool,
    pub writes: bool,
    /// Always true for writes run with ANALYZE: their effects were rolled back.
    pub rolled_back: bool,
    pub total_cost: f64,
    pub execution_ms: Option<f64>,
    pub findings: Vec<Finding>,
    /// The plan as PostgreSQL returned it.
    pub plan: serde_json::Value,
}

/// Whether the statement writes (or locks rows) when executed; Err for what EXPLAIN cannot
/// plan at all.
pub fn writes(statement: &Statement) -> Result<bool, String> {
    fn set_writes(s: &SetExpr) -> bool {
        match s {
            SetExpr::Insert(_) | SetExpr::Update(_) | SetExpr::Delete(_) | SetExpr::Merge(_) => {
                true
            }
            SetExpr::Query(q) => query_writes(q),
            SetExpr::SetOperation { left, right, .. } => set_writes(left) || set_writes(right),
            _ => false,
        }
    }
    fn query_writes(q: &sqlparser::ast::Query) -> bool {
        !q.locks.is_empty()
            || set_writes(&q.body)
            || q.with
                .as_ref()
                .is_some_and(|w| w.cte_tables.iter().any(|c| query_writes(&c.query)))
    }
    match statement {
        Statement::Query(q) => Ok(query_writes(q)),
        Statement::Insert(_)
        | Statement::Update(_)
        | Statement::Delete(_)
        | Statement::Merge(_) => Ok(true),
        Statement::CreateTable(t) if t.query.is_some() => Ok(true),
        other => {
            let text = other.to_string();
            let words: Vec<&str> = text.split_whitespace().take(2).collect();
            Err(format!(
                "`{}` cannot be explained: EXPLAIN plans SELECT, INSERT, UPDATE, DELETE, MERGE, VALUES and CREATE TABLE AS (DDL and utility statements have no plan)",
                words.join(" ")
            ))
        }
    }
}

fn query_error(what: &str) -> impl Fn(tokio_postgres::Error) -> ExplainError + '_ {
    move |e| ExplainError::Query {
        what: what.to_string(),
        message: steward_pg::error_text(&e),
    }
}

/// Explains one statement on an open connection.
pub async fn explain_statement(
    client: &Client,
    sql: &str,
    options: &ExplainOptions,
) -> Result<ExplainReport, ExplainError> {
    let statement = parse_one(sql).map_err(ExplainError::Parse)?;
    let writes = writes(&statement).map_err(ExplainError::Refused)?;
    if writes && options.analyze && !options.allow_writes {
        return Err(ExplainError::Refused(
            "this statement writes (or locks rows), and EXPLAIN ANALYZE executes it; pass --allow-writes to run it inside a transaction that is rolled back, or drop --analyze for the plan alone".into(),
        ));
    }
    // The session is read-only by default; only an allowed, analysed write needs more, and
    // its transaction is never committed.
    let begin = if writes && options.analyze {
        "BEGIN READ WRITE"
    } else {
        "BEGIN READ ONLY"
    };
    simple(client, begin)
        .await
        .map_err(query_error("starting a transaction"))?;
    let result = explain_in_transaction(client, sql, &statement, writes, options).await;
    let rollback = simple(client, "ROLLBACK").await;
    let report = result?;
    rollback.map_err(query_error("rolling back"))?;
    Ok(report)
}

async fn explain_in_transaction(
    client: &Client,
    sql: &str,
    statement: &Statement,
    writes: bool,
    options: &ExplainOptions,
) -> Result<ExplainReport, ExplainError> {
    let (model, _) = steward_pg::catalog::read_model(client).await?;
    let analysis = analyse(statement, &model);
    let stats = crate::stats::read(client, &analysis.tables())
        .await
        .map_err(query_error("reading pg_stats"))?;
    let version_num: u32 = simple(client, "SHOW server_version_num")
        .await
        .map_err(query_error("reading the server version"))?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    // ANALYZE executes, so it needs values whatever the version.
    let version_for_binding = if options.analyze { 0 } else { version_num };
    let explainable = bind(sql, statement, &analysis, &stats, version_for_binding);
    if options.analyze {
        if let Binding::PreparedGeneric { parameters } = explainable.binding {
            let unbound: Vec<String> = (1..=parameters)
                .filter(|n| !analysis.params.iter().any(|(p, _)| p == n))
                .map(|n| format!("${n}"))
                .collect();
            return Err(ExplainError::Refused(format!(
                "cannot choose values for {} (not compared with a column that has statistics in pg_stats); substitute values yourself, or drop --analyze{}",
                if unbound.is_empty() { "the parameters".to_string() } else { unbound.join(", ") },
                if version_num >= 160000 { " for a generic plan" } else { " for a generic plan of the prepared statement" }
            )));
        }
    }
    let explain_options = if options.analyze {
        "ANALYZE, BUFFERS"
    } else {
        ""
    };
    let plan = explain(client, &explainable, explain_options)
        .await
        .map_err(|message| ExplainError::Query {
            what: "EXPLAIN".into(),
            message,
        })?;
    let findings = findings(&plan, &model, options.analyze);
    Ok(ExplainReport {
        statement: sql.trim().to_string(),
        explained: explainable.sql.clone(),
        binding: explainable.binding.clone(),
        analyzed: options.analyze,
        writes,
        rolled_back: true,
        total_cost: plan.total_cost(),
        execution_ms: plan.execution_ms,
        findings,
        plan: plan.json.clone(),
    })
}

/// Rows a node produced in all (actual × loops with ANALYZE, else the estimate × 1).
fn rows_out(n: &PlanNode, analyzed: bool) -> f64 {
    match (analyzed, n.actual_rows) {
        (true, Some(r)) => r * n.actual_loops.unwrap_or(1.0),
        _ => n.plan_rows,
    }
}

fn table_rows(model: &Model, node: &PlanNode) -> Option<(QualName, f64)> {
    let name = node.relation.as_ref()?;
    let schema = node.schema.clone().unwrap_or_else(|| "public".into());
    let q = QualName::new(schema, name.clone());
    let t = model
        .table(&q)
        .or_else(|| model.tables.values().find(|t| t.name.name == *name))?;
    Some((t.name.clone(), t.stats.as_ref()?.estimated_rows))
}

fn human(n: f64) -> String {
    let n = n.round() as i64;
    let s = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// Column names in a condition text such as `(o.customer_id = c.id)`: (qualifier, column).
fn condition_columns(cond: &str) -> Vec<(Option<String>, String)> {
    cond.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.' || c == '"'))
        .filter(|w| !w.is_empty() && w.chars().next().is_some_and(|c| !c.is_ascii_digit()))
        .map(|w| {
            let w = w.replace('"', "");
            match w.rsplit_once('.') {
                Some((q, c)) => (Some(q.to_string()), c.to_string()),
                None => (None, w),
            }
        })
        .collect()
}

/// The findings of a plan.
pub fn findings(plan: &Plan, model: &Model, analyzed: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    plan.root.walk(&mut Vec::new(), &mut |ancestors, node| {
        let mut path: Vec<String> = ancestors.iter().map(|n| n.label()).collect();
        path.push(node.label());
        let path = path.join(" → ");
        // 1. A sequential scan of a large table that keeps few of its rows.
        if node.node_type == "Seq Scan" {
            if let (Some(filter), Some((table, rows))) = (&node.filter, table_rows(model, node)) {
                let kept = if analyzed {
                    node.actual_rows.unwrap_or(node.plan_rows)
                } else {
                    node.plan_rows
                };
                let scanned = match (analyzed, node.rows_removed_by_filter) {
                    (true, Some(removed)) => kept + removed,
                    _ => rows,
                };
                if scanned >= LARGE_TABLE_ROWS && kept <= scanned * SELECTIVE_FRACTION {
                    let columns: Vec<String> = condition_columns(filter)
                        .into_iter()
                        .filter(|(_, c)| {
                            model
                                .table(&table)
                                .is_some_and(|t| t.column(c).is_some())
                        })
                        .map(|(_, c)| c)
                        .fold(Vec::new(), |mut v, c| {
                            if !v.contains(&c) {
                                v.push(c);
                            }
                            v
                        });
                    out.push(Finding {
                        kind: "seq-scan-selective",
                        path: path.clone(),
                        message: format!(
                            "reads all ~{} rows of {table} to keep ~{} ({:.2}%) (Filter: {filter})",
                            human(scanned),
                            human(kept),
                            100.0 * kept / scanned.max(1.0)
                        ),
                        help: if columns.is_empty() {
                            "an index on the filtered expression would let PostgreSQL read only the matching rows".into()
                        } else {
                            format!(
                                "an index would let PostgreSQL read only the matching rows: CREATE INDEX CONCURRENTLY ON {table} ({});",
                                columns.join(", ")
                            )
                        },
                    });
                }
            }
        }
        // 2. Row estimates far from reality (ANALYZE only).
        if analyzed {
            if let Some(actual) = node.actual_rows {
                let (est, act) = (node.plan_rows.max(1.0), actual.max(1.0));
                let factor = if est > act { est / act } else { act / est };
                if factor >= ESTIMATE_FACTOR && est.max(act) >= 100.0 {
                    let multi = node
                        .filter
                        .as_deref()
                        .is_some_and(|f| f.contains(" AND "));
                    out.push(Finding {
                        kind: "bad-estimate",
                        path: path.clone(),
                        message: format!(
                            "the planner expected {} rows and got {} ({}× {})",
                            human(node.plan_rows),
                            human(actual),
                            factor.round(),
                            if est > act { "too many" } else { "too few" }
                        ),
                        help: if multi {
                            format!(
                                "the filter combines columns the planner treats as independent; if they are correlated, extended statistics fix the estimate: CREATE STATISTICS ON <columns> FROM {}; ANALYZE {};",
                                node.relation.as_deref().unwrap_or("<table>"),
                                node.relation.as_deref().unwrap_or("<table>")
                            )
                        } else {
                            "run ANALYZE on the table; if it stays wrong, raise the column's statistics target (ALTER TABLE … ALTER COLUMN … SET STATISTICS 1000) — wrong estimates choose wrong join methods and memory sizes".into()
                        },
                    });
                }
            }
        }
        // 3. Sorts and hashes that spill to disk.
        let spilled = node.sort_space_type.as_deref() == Some("Disk")
            || node.hash_batches.is_some_and(|b| b > 1.0)
            || node.disk_usage_kb.is_some_and(|d| d > 0.0);
        if spilled {
            let what = if let Some(kb) = node.sort_space_kb.filter(|_| node.sort_space_type.as_deref() == Some("Disk")) {
                format!("sorts on disk ({} kB written)", human(kb))
            } else if let Some(b) = node.hash_batches.filter(|b| *b > 1.0) {
                format!("hashes in {} batches on disk", human(b))
            } else {
                format!("spills {} kB to disk", human(node.disk_usage_kb.unwrap_or(0.0)))
            };
            out.push(Finding {
                kind: "spill",
                path: path.clone(),
                message: format!("{} {what}: work_mem is too small for it", node.node_type),
                help: "raise work_mem for this query only (SET LOCAL work_mem = '64MB' in its transaction), or feed it fewer rows; an index in the sort order avoids the sort".into(),
            });
        }
        // 4. Nested loops over a large outer side: the inner side runs once per outer row.
        if node.node_type == "Nested Loop" {
            if let Some(outer) = node.children.first() {
                let n = rows_out(outer, analyzed);
                if n >= NESTED_LOOP_OUTER_ROWS {
                    out.push(Finding {
                        kind: "nested-loop-large-outer",
                        path: path.clone(),
                        message: format!(
                            "the inner side runs once for each of ~{} outer rows ({})",
                            human(n),
                            outer.label()
                        ),
                        help: "a hash or merge join reads each side once; check the row estimates (ANALYZE) and that the inner side is an index lookup".into(),
                    });
                }
            }
        }
        // 5. A join whose large, sequentially scanned side has no index on its join key.
        if let Some(cond) = node
            .hash_cond
            .as_ref()
            .or(node.merge_cond.as_ref())
            .or(node.join_filter.as_ref())
        {
            for child in &node.children {
                let scan = find_scan(child);
                let Some(scan) = scan else { continue };
                let Some((table, rows)) = table_rows(model, scan) else { continue };
                if rows < LARGE_TABLE_ROWS {
                    continue;
                }
                let alias = scan.alias.clone().unwrap_or_else(|| table.name.clone());
                for (q, column) in condition_columns(cond) {
                    if q.as_deref() != Some(alias.as_str()) {
                        continue;
                    }
                    let indexed = model.indexes.iter().any(|i| {
                        model.same_name(&i.table, &table)
                            && i.valid
                            && i.predicate.is_none()
                            && i.keys
                                .first()
                                .and_then(|k| k.column_name())
                                .is_some_and(|c| c.eq_ignore_ascii_case(&column))
                    });
                    if !indexed && model.table(&table).is_some_and(|t| t.column(&column).is_some()) {
                        out.push(Finding {
                            kind: "join-without-index",
                            path: format!("{path} → {}", scan.label()),
                            message: format!(
                                "{table}.{column} is a join key (~{} rows scanned sequentially) and no index starts with it",
                                human(rows)
                            ),
                            help: format!(
                                "CREATE INDEX CONCURRENTLY ON {table} ({column}); lets a nested loop look rows up instead of scanning the table"
                            ),
                        });
                    }
                }
            }
        }
    });
    out.dedup();
    out
}

/// The sequential scan feeding a join side directly (through Hash, Sort, Materialize).
fn find_scan(n: &PlanNode) -> Option<&PlanNode> {
    match n.node_type.as_str() {
        "Seq Scan" => Some(n),
        "Hash" | "Sort" | "Materialize" | "Memoize" => n.children.first().and_then(find_scan),
        _ => None,
    }
}

/// The report as text for a terminal.
pub fn render_text(r: &ExplainReport) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "plan cost {:.2}{}{}\n",
        r.total_cost,
        r.execution_ms
            .map(|ms| format!(", executed in {ms:.3} ms"))
            .unwrap_or_default(),
        if r.analyzed && r.writes {
            " (changes rolled back)"
        } else {
            ""
        }
    ));
    match &r.binding {
        Binding::Representative { values } => {
            let list: Vec<String> = values.iter().map(|(n, v)| format!("${n} = {v}")).collect();
            s.push_str(&format!(
                "parameters: representative values from pg_stats: {}\n",
                list.join(", ")
            ));
        }
        Binding::GenericPlan => s.push_str("parameters: generic plan (EXPLAIN GENERIC_PLAN)\n"),
        Binding::PreparedGeneric { .. } => {
            s.push_str("parameters: generic plan of the prepared statement (values unknown)\n")
        }
        Binding::None => {}
    }
    if r.findings.is_empty() {
        s.push_str("no problems found in the plan\n");
    }
    for f in &r.findings {
        s.push_str(&format!(
            "\n{}: {}\n  at {}\n  {}\n",
            f.kind, f.message, f.path, f.help
        ));
    }
    s
}
