//! N+1 queries: a parent query returns N rows, then the application runs one child query per
//! row — the same statement shape N times with one parameter varying, each returning a row or a
//! few. One batched query (`= ANY($1)` with the parent's keys, or a semi-join with the parent
//! query) does the same work in one execution and one round trip.
//!
//! Evidence, strongest first:
//! - **session order** (logs): in one session, a parent shape followed directly by k ≥ 3
//!   executions of a child shape with varying parameter values;
//! - **call ratios** (pg_stat_statements, needs the schema): the child looks a row up by a
//!   foreign-key column (or the key a foreign key references), runs about as often as a parent
//!   query over the related table returns rows, and returns few rows per call.
//!
//! The foreign key, when the schema is known (a live catalog), confirms the relationship and
//! names the columns of the rewrite; without it (offline logs) the finding says the evidence is
//! the session order alone.

use crate::workload::Workload;
use serde::Serialize;
use sqlparser::ast::{
    BinaryOperator, Expr, Ident, ObjectNamePart, SelectItem, SetExpr, Statement, TableFactor, Value,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use std::collections::{BTreeMap, HashMap};
use steward_core::model::{quote_ident, Model, QualName};

/// A run of at least this many executions of one shape in a row is a loop.
pub const MIN_RUN: usize = 3;
/// A child must run at least this often in the window to be worth a finding.
pub const MIN_CHILD_CALLS: u64 = 20;
/// Few rows per call: a per-row lookup returns a row (belongs-to) or a handful (has-many).
pub const MAX_ROWS_PER_CALL: f64 = 10.0;
/// Parent rows within this factor of child calls count as "one child call per parent row".
pub const RATIO_TOLERANCE: f64 = 1.5;

/// How strong the evidence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    /// Session order without schema knowledge, or call ratios alone.
    Medium,
    /// Session order confirmed by a foreign key, or call ratios that match closely.
    Strong,
}

/// What was observed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Evidence {
    /// From a log: `bursts` times in some session, the parent ran and then the child ran
    /// `child_executions` times in a row in total; `varying`: the parameter values differed.
    SessionOrder {
        bursts: u64,
        child_executions: u64,
        mean_burst: f64,
        varying: bool,
    },
    /// From pg_stat_statements: the parent returned `parent_rows` rows in `parent_calls`
    /// calls; the child ran `child_calls` times returning `child_rows_per_call` rows each.
    CallRatio {
        parent_calls: u64,
        parent_rows: u64,
        child_calls: u64,
        child_rows_per_call: f64,
    },
}

/// One N+1 pattern.
#[derive(Debug, Clone, Serialize)]
pub struct NPlusOne {
    /// Index of the child shape in the workload.
    pub child: usize,
    /// Index of the parent shape, when identified.
    pub parent: Option<usize>,
    pub strength: Strength,
    pub evidence: Evidence,
    /// `schema.table.column → schema.table` when a foreign key explains the relationship.
    pub foreign_key: Option<String>,
    /// The child for all parent keys at once: `… WHERE col = ANY($1)` (pass an array).
    pub batched: Option<String>,
    /// The child joined to the parent query: one statement instead of 1 + N.
    pub joined: Option<String>,
    /// Executions saved in the window (the child's calls minus one per parent call).
    pub round_trips_saved: u64,
}

/// A child statement that looks one value up: `SELECT … FROM t WHERE col = $n [AND …]`.
#[derive(Debug, Clone)]
struct Lookup {
    statement: Statement,
    table: QualName,
    column: String,
    param: String,
}

/// The relationship behind a lookup.
#[derive(Debug, Clone)]
struct Relation {
    /// Tables whose rows drive the loop, with the column that holds the looked-up value.
    parents: Vec<(QualName, String)>,
    foreign_key: String,
}

/// Finds N+1 patterns in a workload; `model` (a live catalog) adds foreign-key knowledge.
pub fn detect(workload: &Workload, model: Option<&Model>) -> Vec<NPlusOne> {
    let lookups: Vec<Option<Lookup>> = workload
        .queries
        .iter()
        .map(|q| lookup_of(&q.text, model))
        .collect();
    let mut found: BTreeMap<usize, NPlusOne> = BTreeMap::new();
    for finding in from_sessions(workload, model, &lookups) {
        found.insert(finding.child, finding);
    }
    if let Some(model) = model.filter(|_| workload.rows_known) {
        for finding in from_ratios(workload, model, &lookups) {
            found.entry(finding.child).or_insert(finding);
        }
    }
    found.into_values().collect()
}

/// Session order: parent, then a run of the same child shape.
fn from_sessions(
    workload: &Workload,
    model: Option<&Model>,
    lookups: &[Option<Lookup>],
) -> Vec<NPlusOne> {
    #[derive(Default)]
    struct Tally {
        bursts: u64,
        executions: u64,
        varying_bursts: u64,
    }
    // child → parent → tally
    let mut tallies: HashMap<usize, HashMap<usize, Tally>> = HashMap::new();
    for session in &workload.sessions {
        let e = &session.executions;
        let mut i = 0;
        while i < e.len() {
            let mut j = i + 1;
            while j < e.len() && e[j].query == e[i].query {
                j += 1;
            }
            let run = &e[i..j];
            if run.len() >= MIN_RUN && i > 0 && e[i - 1].query != e[i].query {
                let tally = tallies
                    .entry(e[i].query)
                    .or_default()
                    .entry(e[i - 1].query)
                    .or_default();
                tally.bursts += 1;
                tally.executions += run.len() as u64;
                let mut hashes: Vec<Option<u64>> = run.iter().map(|x| x.values_hash).collect();
                hashes.sort_unstable();
                hashes.dedup();
                if hashes.len() * 2 > run.len() {
                    tally.varying_bursts += 1;
                }
            }
            i = j;
        }
    }
    let mut out = Vec::new();
    for (child, parents) in tallies {
        let Some((&parent, tally)) = parents
            .iter()
            .max_by_key(|(p, t)| (t.executions, std::cmp::Reverse(**p)))
        else {
            continue;
        };
        let child_query = &workload.queries[child];
        // The same values again and again is a cache problem, not a loop over rows.
        if tally.varying_bursts * 2 < tally.bursts
            || tally.executions < MIN_CHILD_CALLS
            || !is_select(&child_query.text)
        {
            continue;
        }
        let lookup = lookups[child].as_ref();
        let relation = match (model, lookup) {
            (Some(model), Some(l)) => relation_of(model, l),
            _ => None,
        };
        let parent_key = relation
            .as_ref()
            .and_then(|r| parent_key_for(&workload.queries[parent].text, r));
        let strength = if relation.is_some() {
            Strength::Strong
        } else {
            Strength::Medium
        };
        out.push(NPlusOne {
            child,
            parent: Some(parent),
            strength,
            evidence: Evidence::SessionOrder {
                bursts: tally.bursts,
                child_executions: tally.executions,
                mean_burst: tally.executions as f64 / tally.bursts as f64,
                varying: tally.varying_bursts * 2 >= tally.bursts,
            },
            foreign_key: relation.as_ref().map(|r| r.foreign_key.clone()),
            batched: lookup.and_then(batched),
            joined: match (lookup, parent_key) {
                (Some(l), Some(key)) => joined(l, &workload.queries[parent].text, &key),
                _ => None,
            },
            round_trips_saved: child_query
                .calls
                .saturating_sub(workload.queries[parent].calls),
        });
    }
    out.sort_by_key(|f| f.child);
    out
}

/// Call ratios: child calls ≈ parent rows, few rows per child call, related by a foreign key.
fn from_ratios(workload: &Workload, model: &Model, lookups: &[Option<Lookup>]) -> Vec<NPlusOne> {
    let mut out = Vec::new();
    for (child, lookup) in lookups.iter().enumerate() {
        let Some(lookup) = lookup else { continue };
        let c = &workload.queries[child];
        if c.calls < MIN_CHILD_CALLS {
            continue;
        }
        let rows_per_call = c.rows as f64 / c.calls as f64;
        if rows_per_call > MAX_ROWS_PER_CALL {
            continue;
        }
        let Some(relation) = relation_of(model, lookup) else {
            continue;
        };
        // The parent: a SELECT over a driving table that runs less often than the child and
        // whose rows, in total, match the child's calls best.
        let mut best: Option<(usize, f64, String)> = None;
        for (i, p) in workload.queries.iter().enumerate() {
            if i == child || p.calls == 0 || p.calls >= c.calls || p.rows == 0 {
                continue;
            }
            if !is_select(&p.text) {
                continue;
            }
            let ratio = c.calls as f64 / p.rows as f64;
            if !(1.0 / RATIO_TOLERANCE..=RATIO_TOLERANCE).contains(&ratio) {
                continue;
            }
            let Some(key) = parent_key_for(&p.text, &relation) else {
                continue;
            };
            let distance = ratio.ln().abs();
            if best.as_ref().is_none_or(|(_, d, _)| distance < *d) {
                best = Some((i, distance, key));
            }
        }
        let Some((parent, distance, key)) = best else {
            continue;
        };
        let p = &workload.queries[parent];
        out.push(NPlusOne {
            child,
            parent: Some(parent),
            strength: if distance < 1.25f64.ln() {
                Strength::Strong
            } else {
                Strength::Medium
            },
            evidence: Evidence::CallRatio {
                parent_calls: p.calls,
                parent_rows: p.rows,
                child_calls: c.calls,
                child_rows_per_call: rows_per_call,
            },
            foreign_key: Some(relation.foreign_key.clone()),
            batched: batched(lookup),
            joined: joined(lookup, &p.text, &key),
            round_trips_saved: c.calls.saturating_sub(p.calls),
        });
    }
    out
}

fn parse(text: &str) -> Option<Statement> {
    let mut statements = Parser::parse_sql(&PostgreSqlDialect {}, text).ok()?;
    (statements.len() == 1).then(|| statements.remove(0))
}

fn is_select(text: &str) -> bool {
    matches!(parse(text), Some(Statement::Query(_)))
}

fn placeholder(e: &Expr) -> Option<&str> {
    match e {
        Expr::Value(v) => match &v.value {
            Value::Placeholder(p) => Some(p),
            _ => None,
        },
        Expr::Cast { expr, .. } | Expr::Nested(expr) => placeholder(expr),
        _ => None,
    }
}

fn column_name(e: &Expr) -> Option<&Ident> {
    match e {
        Expr::Identifier(i) => Some(i),
        Expr::CompoundIdentifier(parts) => parts.last(),
        _ => None,
    }
}

fn conjuncts(e: &Expr) -> Vec<&Expr> {
    match e {
        Expr::BinaryOp {
            left,
            op: BinaryOperator::And,
            right,
        } => {
            let mut v = conjuncts(left);
            v.extend(conjuncts(right));
            v
        }
        Expr::Nested(inner) => conjuncts(inner),
        other => vec![other],
    }
}

/// `col = $n` (either way round): the column and the parameter.
fn equality(e: &Expr) -> Option<(&Ident, &str)> {
    let Expr::BinaryOp {
        left,
        op: BinaryOperator::Eq,
        right,
    } = e
    else {
        return None;
    };
    match (column_name(left), placeholder(right)) {
        (Some(c), Some(p)) => Some((c, p)),
        _ => match (column_name(right), placeholder(left)) {
            (Some(c), Some(p)) => Some((c, p)),
            _ => None,
        },
    }
}

/// Reads a single-table SELECT whose WHERE has exactly one parameter, in an equality.
fn lookup_of(text: &str, model: Option<&Model>) -> Option<Lookup> {
    let statement = parse(text)?;
    let Statement::Query(query) = &statement else {
        return None;
    };
    let SetExpr::Select(select) = query.body.as_ref() else {
        return None;
    };
    let [from] = select.from.as_slice() else {
        return None;
    };
    if !from.joins.is_empty() {
        return None;
    }
    let TableFactor::Table { name, .. } = &from.relation else {
        return None;
    };
    let selection = select.selection.as_ref()?;
    let mut parameters = 0;
    steward_rules::util::for_each_expr(selection, |e| {
        if let Expr::Value(v) = e {
            if matches!(v.value, Value::Placeholder(_)) {
                parameters += 1;
            }
        }
    });
    if parameters != 1 {
        return None;
    }
    let (column, param) = conjuncts(selection).into_iter().find_map(equality)?;
    let parts: Vec<String> = name
        .0
        .iter()
        .map(|p| match p {
            ObjectNamePart::Identifier(i) => ident_value(i),
            ObjectNamePart::Function(f) => f.name.value.clone(),
        })
        .collect();
    let table = match (parts.as_slice(), model) {
        ([schema, table], _) => QualName::new(schema.clone(), table.clone()),
        ([table], Some(model)) => model
            .tables
            .keys()
            .find(|q| q.name == *table && q.schema == "public")
            .or_else(|| model.tables.keys().find(|q| q.name == *table))
            .cloned()
            .unwrap_or_else(|| QualName::new("public", table.clone())),
        ([table], None) => QualName::new("public", table.clone()),
        _ => return None,
    };
    Some(Lookup {
        table,
        column: ident_value(column),
        param: param.to_string(),
        statement: statement.clone(),
    })
}

/// An identifier as PostgreSQL stores it (unquoted names fold to lower case).
fn ident_value(i: &Ident) -> String {
    if i.quote_style.is_some() {
        i.value.clone()
    } else {
        i.value.to_lowercase()
    }
}

/// The foreign key that makes a lookup a per-row lookup: the column references a parent
/// (has-many: items by order), or is the key another table references (belongs-to: the
/// customer of each order).
fn relation_of(model: &Model, lookup: &Lookup) -> Option<Relation> {
    let table = model.table(&lookup.table)?;
    for (_, fk) in table.foreign_keys() {
        if fk.columns.len() == 1 && fk.columns[0] == lookup.column {
            let parent = model.table(&fk.ref_table)?;
            let key = fk.ref_columns.first().cloned().or_else(|| {
                parent
                    .primary_key()
                    .and_then(|pk| pk.columns.first().cloned())
            })?;
            return Some(Relation {
                parents: vec![(fk.ref_table.clone(), key)],
                foreign_key: format!("{} → {}", lookup.table.column(&lookup.column), fk.ref_table),
            });
        }
    }
    let is_key = table
        .constraints
        .iter()
        .any(|c| c.is_unique_or_pk() && c.columns.len() == 1 && c.columns[0] == lookup.column);
    if !is_key {
        return None;
    }
    let mut parents = Vec::new();
    let mut names = Vec::new();
    for (name, other) in &model.tables {
        for (_, fk) in other.foreign_keys() {
            let references_column = fk.ref_columns.is_empty()
                || (fk.ref_columns.len() == 1 && fk.ref_columns[0] == lookup.column);
            if fk.columns.len() == 1
                && model.same_name(&fk.ref_table, &lookup.table)
                && references_column
            {
                parents.push((name.clone(), fk.columns[0].clone()));
                names.push(name.column(&fk.columns[0]));
            }
        }
    }
    if parents.is_empty() {
        return None;
    }
    Some(Relation {
        parents,
        foreign_key: format!("{} → {}", names.join(", "), lookup.table),
    })
}

/// The column of the parent query's rows that feeds the child, when the parent reads a
/// driving table and returns that column (or `*`).
fn parent_key_for(parent_text: &str, relation: &Relation) -> Option<String> {
    let statement = parse(parent_text)?;
    let Statement::Query(query) = &statement else {
        return None;
    };
    let SetExpr::Select(select) = query.body.as_ref() else {
        return None;
    };
    let mut tables = Vec::new();
    steward_rules::util::for_each_relation(&statement, |name| {
        if let Some(ObjectNamePart::Identifier(i)) = name.0.last() {
            tables.push(ident_value(i));
        }
    });
    for (table, key) in &relation.parents {
        if !tables.contains(&table.name) {
            continue;
        }
        if returns_column(&select.projection, key) {
            return Some(key.clone());
        }
    }
    None
}

/// Whether a SELECT list returns `column` (by name, alias or `*`).
fn returns_column(projection: &[SelectItem], column: &str) -> bool {
    projection.iter().any(|item| match item {
        SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..) => true,
        SelectItem::UnnamedExpr(e) => column_name(e).is_some_and(|c| ident_value(c) == column),
        SelectItem::ExprWithAlias { alias, .. } => ident_value(alias) == column,
        SelectItem::ExprWithAliases { aliases, .. } => {
            aliases.iter().any(|a| ident_value(a) == column)
        }
    })
}

/// Marks the lookup's equality in a copy of the statement, so it can be printed with a
/// replacement for it.
const MARK: &str = "steward_batch_predicate";

fn with_marked_predicate(lookup: &Lookup) -> Option<String> {
    let mut statement = lookup.statement.clone();
    let Statement::Query(query) = &mut statement else {
        return None;
    };
    let SetExpr::Select(select) = query.body.as_mut() else {
        return None;
    };
    // The caller needs the key on each row to hand rows back to their parents.
    if !returns_column(&select.projection, &lookup.column) {
        select.projection.insert(
            0,
            SelectItem::UnnamedExpr(Expr::Identifier(Ident::new(quote_ident(&lookup.column)))),
        );
    }
    let selection = select.selection.take()?;
    select.selection = Some(mark(selection, &lookup.param));
    Some(statement.to_string())
}

/// Replaces the `col = $param` conjunct with the marker.
fn mark(e: Expr, param: &str) -> Expr {
    match e {
        Expr::BinaryOp {
            left,
            op: BinaryOperator::And,
            right,
        } => Expr::BinaryOp {
            left: Box::new(mark(*left, param)),
            op: BinaryOperator::And,
            right: Box::new(mark(*right, param)),
        },
        Expr::Nested(inner) => Expr::Nested(Box::new(mark(*inner, param))),
        other => {
            if equality(&other).is_some_and(|(_, p)| p == param) {
                Expr::Identifier(Ident::new(MARK))
            } else {
                other
            }
        }
    }
}

/// `… WHERE col = ANY($n)`: one call with every parent key in an array.
fn batched(lookup: &Lookup) -> Option<String> {
    let marked = with_marked_predicate(lookup)?;
    Some(marked.replace(
        MARK,
        &format!("{} = ANY({})", quote_ident(&lookup.column), lookup.param),
    ))
}

/// `… WHERE col IN (SELECT parent.key FROM (<parent query>) AS parent)`: one statement.
fn joined(lookup: &Lookup, parent_text: &str, key: &str) -> Option<String> {
    let marked = with_marked_predicate(lookup)?;
    let parent = parent_text.trim().trim_end_matches(';');
    // The child's own parameter goes; the parent's keep their numbers.
    Some(marked.replace(
        MARK,
        &format!(
            "{} IN (SELECT parent.{} FROM ({parent}) AS parent)",
            quote_ident(&lookup.column),
            quote_ident(key)
        ),
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::workload::{Execution, SessionTrace, Source, SourceKind, Window, Workload};
    use crate::WorkloadQuery;

    fn q(text: &str, calls: u64, rows: u64) -> WorkloadQuery {
        WorkloadQuery {
            text: text.into(),
            calls,
            total_ms: calls as f64 * 0.05,
            rows,
            shared_blks_hit: 0,
            shared_blks_read: 0,
        }
    }

    fn workload(queries: Vec<WorkloadQuery>, sessions: Vec<SessionTrace>) -> Workload {
        let n = queries.len();
        Workload {
            source: Source {
                kind: SourceKind::Log,
                described: "t".into(),
                server_version: None,
            },
            queries,
            read_time_ms: vec![None; n],
            rows_known: sessions.is_empty(),
            buffers_known: false,
            window: Window::assumed_day("unknown"),
            sessions,
            sessions_identified: true,
            skipped: Default::default(),
            notes: Vec::new(),
        }
    }

    fn model() -> Model {
        let sql = "CREATE TABLE customer (id bigint PRIMARY KEY, name text);
                   CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customer, status text);
                   CREATE TABLE order_item (id bigint PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders (id), qty int);";
        let file = steward_sql::parse_file(
            steward_core::SourceFile::new("schema.sql", sql),
            steward_core::Dialect::Postgres,
            0,
        );
        steward_rules::run_files(&[file], steward_core::Dialect::Postgres, &[]).model
    }

    fn trace(pattern: &[(usize, u64)]) -> SessionTrace {
        SessionTrace {
            session: "s".into(),
            executions: pattern
                .iter()
                .map(|&(query, v)| Execution {
                    query,
                    values_hash: Some(v),
                })
                .collect(),
        }
    }

    #[test]
    fn session_order_with_foreign_key() {
        let parent = "SELECT id, status FROM orders WHERE customer_id = $1";
        let child = "SELECT qty FROM order_item WHERE order_id = $1";
        let mut pattern = Vec::new();
        for round in 0..5u64 {
            pattern.push((0, round));
            for k in 0..8u64 {
                pattern.push((1, round * 100 + k));
            }
        }
        let w = workload(
            vec![q(parent, 5, 0), q(child, 40, 0)],
            vec![trace(&pattern)],
        );
        let found = detect(&w, Some(&model()));
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!((f.child, f.parent), (1, Some(0)));
        assert_eq!(f.strength, Strength::Strong);
        assert_eq!(
            f.foreign_key.as_deref(),
            Some("public.order_item.order_id → public.orders")
        );
        assert_eq!(
            f.batched.as_deref(),
            Some("SELECT order_id, qty FROM order_item WHERE order_id = ANY($1)")
        );
        assert_eq!(
            f.joined.as_deref(),
            Some("SELECT order_id, qty FROM order_item WHERE order_id IN (SELECT parent.id FROM (SELECT id, status FROM orders WHERE customer_id = $1) AS parent)")
        );
        assert_eq!(f.round_trips_saved, 35);
        // Offline: the same loop, weaker evidence, the ANY rewrite still offered.
        let offline = detect(&w, None);
        assert_eq!(offline[0].strength, Strength::Medium);
        assert!(offline[0].foreign_key.is_none());
        assert!(offline[0].joined.is_none());
        assert!(offline[0].batched.is_some());
    }

    #[test]
    fn repeated_identical_values_are_not_a_loop() {
        let mut pattern = Vec::new();
        for round in 0..5u64 {
            pattern.push((0, round));
            for _ in 0..8 {
                pattern.push((1, 7));
            }
        }
        let w = workload(
            vec![
                q("SELECT id FROM orders", 5, 0),
                q("SELECT qty FROM order_item WHERE order_id = $1", 40, 0),
            ],
            vec![trace(&pattern)],
        );
        assert!(detect(&w, None).is_empty());
    }

    #[test]
    fn call_ratios_belongs_to() {
        // 10 list calls returning 500 orders; 500 customer lookups of one row each.
        let w = workload(
            vec![
                q("SELECT id, customer_id, status FROM orders WHERE status = $1 ORDER BY id LIMIT $2", 10, 500),
                q("SELECT name FROM customer WHERE id = $1", 500, 500),
                q("SELECT count(*) FROM orders", 3, 3),
            ],
            Vec::new(),
        );
        let found = detect(&w, Some(&model()));
        assert_eq!(found.len(), 1, "{found:?}");
        let f = &found[0];
        assert_eq!((f.child, f.parent), (1, Some(0)));
        assert_eq!(f.strength, Strength::Strong);
        assert_eq!(
            f.batched.as_deref(),
            Some("SELECT id, name FROM customer WHERE id = ANY($1)")
        );
        assert!(f.joined.as_deref().unwrap().contains(
            "id IN (SELECT parent.customer_id FROM (SELECT id, customer_id, status FROM orders"
        ));
        // A lookup without a matching parent is not reported.
        let w = workload(
            vec![q("SELECT name FROM customer WHERE id = $1", 500, 500)],
            Vec::new(),
        );
        assert!(detect(&w, Some(&model())).is_empty());
    }
}
