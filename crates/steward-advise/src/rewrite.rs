//! Query rewrites with the exact SQL, done on the parsed AST and printed back:
//!
//! - `x NOT IN (SELECT c …)` → `NOT EXISTS (… AND c = x)` — only when `x` and `c` are NOT NULL
//!   (one NULL in the subquery makes NOT IN return no rows at all; a NULL `x` makes it NULL);
//! - `(SELECT count(*) …) > 0` → `EXISTS (…)` (and `= 0` → `NOT EXISTS`);
//! - non-sargable date predicates → ranges: `t::date = $1`, `extract(year from t) = 2024`,
//!   `date_trunc('day', t) = $1`;
//! - a correlated scalar aggregate subquery in the select list → `LEFT JOIN LATERAL`;
//! - `ORDER BY … LIMIT n OFFSET m` → keyset pagination (and the index it needs) — only when
//!   the ORDER BY is a unique, NOT NULL, single-direction ordering.
//!
//! Each function returns [`Outcome::Refused`] with the reason when the rewrite would not be
//! provably equivalent, and [`Outcome::NotApplicable`] when the pattern is absent.

use crate::query::{parse_one, placeholder, sources};
use serde::Serialize;
use sqlparser::ast::{
    self as ast, BinaryOperator, DataType, DateTimeField, Expr, SelectItem, SetExpr, Statement,
    Value,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use steward_core::model::{quote_ident, ConstraintKind, Model};
use steward_rules::rules::performance::scope::{column_source, Source};

/// A rewrite: the new SQL, why it is equivalent, and an index it needs (if any).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Rewrite {
    pub kind: &'static str,
    pub sql: String,
    pub note: String,
    pub index: Option<String>,
    /// Keyset pagination: the first page (no key predicate); `sql` is the next-page query.
    pub first_page: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub enum Outcome {
    Rewritten(Rewrite),
    Refused(String),
    NotApplicable,
}

impl Outcome {
    pub fn rewrite(&self) -> Option<&Rewrite> {
        match self {
            Outcome::Rewritten(r) => Some(r),
            _ => None,
        }
    }
}

fn parse_expr(text: &str) -> Result<Expr, String> {
    Parser::new(&PostgreSqlDialect {})
        .try_with_sql(text)
        .and_then(|mut p| p.parse_expr())
        .map_err(|e| e.to_string())
}

/// The top-level query of a statement, when its body is a plain SELECT.
fn top_select(statement: &mut Statement) -> Option<(&mut ast::Query, ())> {
    match statement {
        Statement::Query(q) if matches!(q.body.as_ref(), SetExpr::Select(_)) => Some((q, ())),
        _ => None,
    }
}

fn body_select(q: &mut ast::Query) -> Option<&mut ast::Select> {
    match q.body.as_mut() {
        SetExpr::Select(s) => Some(s),
        _ => None,
    }
}

fn not_null(e: &Expr, srcs: &[Source], model: &Model) -> bool {
    if let Expr::Value(v) = e {
        return !matches!(v.value, Value::Null | Value::Placeholder(_));
    }
    column_source(e, srcs).is_some_and(|(s, c)| {
        model
            .table(&s.table)
            .and_then(|t| t.column(&c))
            .is_some_and(|c| c.not_null)
    })
}

fn qualified(e: &Expr, srcs: &[Source]) -> Option<String> {
    column_source(e, srcs)
        .map(|(s, c)| format!("{}.{}", quote_ident(&s.qualifier), quote_ident(&c)))
}

/// Applies `f` to each top-level WHERE conjunct; `f` returns a replacement.
fn rewrite_conjuncts(
    selection: &mut Option<Expr>,
    mut f: impl FnMut(&Expr) -> Result<Option<Expr>, String>,
) -> Result<bool, String> {
    fn walk(
        e: &mut Expr,
        f: &mut dyn FnMut(&Expr) -> Result<Option<Expr>, String>,
    ) -> Result<bool, String> {
        if let Expr::BinaryOp {
            left,
            op: BinaryOperator::And,
            right,
        } = e
        {
            let a = walk(left, f)?;
            let b = walk(right, f)?;
            return Ok(a || b);
        }
        match f(e)? {
            Some(new) => {
                *e = new;
                Ok(true)
            }
            None => Ok(false),
        }
    }
    match selection {
        Some(e) => walk(e, &mut f),
        None => Ok(false),
    }
}

/// `x NOT IN (SELECT c FROM t …)` → `NOT EXISTS (SELECT 1 FROM t … AND t.c = x)`.
pub fn not_in_to_not_exists(sql: &str, model: &Model) -> Outcome {
    let Ok(mut statement) = parse_one(sql) else {
        return Outcome::NotApplicable;
    };
    let Some((q, _)) = top_select(&mut statement) else {
        return Outcome::NotApplicable;
    };
    let Some(select) = body_select(q) else {
        return Outcome::NotApplicable;
    };
    let outer = sources(&select.from, model);
    let result = rewrite_conjuncts(&mut select.selection, |e| {
        let Expr::In {
            expr: x,
            target: ast::InTarget::Subquery(sub),
            negated: true,
            ..
        } = e
        else {
            return Ok(None);
        };
        let SetExpr::Select(inner) = sub.body.as_ref() else {
            return Err("the subquery is not a plain SELECT".into());
        };
        if sub.limit_clause.is_some() || inner.having.is_some() || inner.projection.len() != 1 {
            return Err("the subquery has LIMIT, HAVING or several columns".into());
        }
        let (SelectItem::UnnamedExpr(c) | SelectItem::ExprWithAlias { expr: c, .. }) =
            &inner.projection[0]
        else {
            return Err("the subquery's column is not an expression".into());
        };
        let inner_sources = sources(&inner.from, model);
        if inner_sources
            .iter()
            .any(|i| outer.iter().any(|o| o.qualifier == i.qualifier))
        {
            return Err("the subquery uses the same table name or alias as the outer query; alias one of them".into());
        }
        let Some(inner_col) = qualified(c, &inner_sources) else {
            return Err("the subquery's column is not a column of its FROM".into());
        };
        if !not_null(c, &inner_sources, model) {
            return Err(format!(
                "{c} may be NULL: NOT IN returns no rows at all when the subquery yields a NULL, NOT EXISTS ignores it — not equivalent; declare the column NOT NULL or add `WHERE {c} IS NOT NULL` to the subquery first"
            ));
        }
        let outer_x = match x.as_ref() {
            Expr::Value(_) => x.to_string(),
            other => qualified(other, &outer)
                .ok_or_else(|| format!("{other} is not a column of the outer query"))?,
        };
        if !not_null(x, &outer, model) {
            return Err(format!(
                "{x} may be NULL: NOT IN is NULL (row dropped) for a NULL value, NOT EXISTS is true (row kept) — not equivalent; declare it NOT NULL or add `{x} IS NOT NULL`"
            ));
        }
        let from: Vec<String> = inner.from.iter().map(|f| f.to_string()).collect();
        let condition = match &inner.selection {
            Some(w) => format!("({w}) AND {inner_col} = {outer_x}"),
            None => format!("{inner_col} = {outer_x}"),
        };
        parse_expr(&format!(
            "NOT EXISTS (SELECT 1 FROM {} WHERE {condition})",
            from.join(", ")
        ))
        .map(Some)
    });
    finish(statement, result, "not-in-to-not-exists", "both sides are NOT NULL, so NOT IN and NOT EXISTS keep the same rows; NOT EXISTS plans as an anti-join", None)
}

fn finish(
    statement: Statement,
    result: Result<bool, String>,
    kind: &'static str,
    note: &str,
    index: Option<String>,
) -> Outcome {
    match result {
        Ok(true) => Outcome::Rewritten(Rewrite {
            kind,
            sql: statement.to_string(),
            note: note.to_string(),
            index,
            first_page: None,
        }),
        Ok(false) => Outcome::NotApplicable,
        Err(reason) => Outcome::Refused(reason),
    }
}

fn number(e: &Expr) -> Option<f64> {
    match e {
        Expr::Value(v) => match &v.value {
            Value::Number(n, _) => n.parse().ok(),
            _ => None,
        },
        _ => None,
    }
}

/// `(SELECT count(*) FROM … ) > 0` → `EXISTS (SELECT 1 FROM …)`; `= 0` → `NOT EXISTS`.
pub fn count_to_exists(sql: &str, _model: &Model) -> Outcome {
    let Ok(mut statement) = parse_one(sql) else {
        return Outcome::NotApplicable;
    };
    let Some((q, _)) = top_select(&mut statement) else {
        return Outcome::NotApplicable;
    };
    let Some(select) = body_select(q) else {
        return Outcome::NotApplicable;
    };
    let result = rewrite_conjuncts(&mut select.selection, |e| {
        let Expr::BinaryOp { left, op, right } = e else {
            return Ok(None);
        };
        let (Expr::Subquery(sub), Some(n)) = (left.as_ref(), number(right)) else {
            return Ok(None);
        };
        let exists = match (op, n) {
            (BinaryOperator::Gt, 0.0)
            | (BinaryOperator::GtEq, 1.0)
            | (BinaryOperator::NotEq, 0.0) => true,
            (BinaryOperator::Eq, 0.0) | (BinaryOperator::Lt, 1.0) | (BinaryOperator::LtEq, 0.0) => {
                false
            }
            _ => return Ok(None),
        };
        let SetExpr::Select(inner) = sub.body.as_ref() else {
            return Ok(None);
        };
        let [SelectItem::UnnamedExpr(Expr::Function(f))] = inner.projection.as_slice() else {
            return Ok(None);
        };
        if steward_rules::util::function_name(f) != "count" {
            return Ok(None);
        }
        if !matches!(inner.group_by, ast::GroupByExpr::Expressions(ref g, _) if g.is_empty())
            || inner.having.is_some()
            || sub.limit_clause.is_some()
            || inner.distinct.is_some()
        {
            return Err("the counting subquery has GROUP BY, HAVING, DISTINCT or LIMIT: it may return no row or several, so EXISTS is not equivalent".into());
        }
        let args = steward_rules::util::function_args(f);
        // count(col) counts non-NULL values: keep that as a condition.
        let extra = match args.as_slice() {
            [] => None,
            [a] if number(a).is_some() => None,
            [a] => Some(format!("{a} IS NOT NULL")),
            _ => return Ok(None),
        };
        let mut body = format!(
            "SELECT 1 FROM {}",
            inner
                .from
                .iter()
                .map(|f| f.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        match (&inner.selection, extra) {
            (Some(w), Some(x)) => body.push_str(&format!(" WHERE ({w}) AND {x}")),
            (Some(w), None) => body.push_str(&format!(" WHERE {w}")),
            (None, Some(x)) => body.push_str(&format!(" WHERE {x}")),
            (None, None) => {}
        }
        parse_expr(&format!(
            "{}EXISTS ({body})",
            if exists { "" } else { "NOT " }
        ))
        .map(Some)
    });
    finish(
        statement,
        result,
        "count-to-exists",
        "an aggregate without GROUP BY returns exactly one row, so comparing its count with 0 is EXISTS; EXISTS stops at the first row instead of counting them all",
        None,
    )
}

/// Date predicates on a column that no index on the column can serve → ranges.
pub fn sargable_range(sql: &str, model: &Model) -> Outcome {
    let Ok(mut statement) = parse_one(sql) else {
        return Outcome::NotApplicable;
    };
    let Some((q, _)) = top_select(&mut statement) else {
        return Outcome::NotApplicable;
    };
    let Some(select) = body_select(q) else {
        return Outcome::NotApplicable;
    };
    let srcs = sources(&select.from, model);
    // The column's text and type, when it is a date or timestamp column.
    let typed = |col: &Expr| -> Option<(String, String)> {
        let (s, c) = column_source(col, &srcs)?;
        let t = model.table(&s.table)?.column(&c)?;
        let ty = t.data_type.as_ref()?.to_string().to_lowercase();
        (ty.contains("timestamp") || ty == "date").then(|| (col.to_string(), ty))
    };
    let temporal = |col: &Expr| typed(col).map(|(c, _)| c);
    let result = rewrite_conjuncts(&mut select.selection, |e| {
        let Expr::BinaryOp {
            left,
            op: BinaryOperator::Eq,
            right,
        } = e
        else {
            return Ok(None);
        };
        let value_ok = |v: &Expr| {
            placeholder(v).is_some()
                || matches!(v, Expr::Value(_))
                || matches!(v, Expr::Cast { .. })
        };
        if !value_ok(right) {
            return Ok(None);
        }
        match left.as_ref() {
            // t::date = v  →  t >= v::date AND t < v::date + 1
            Expr::Cast {
                expr,
                data_type: DataType::Date,
                ..
            } => {
                let Some(col) = temporal(expr) else {
                    return Ok(None);
                };
                parse_expr(&format!(
                    "{col} >= ({right})::date AND {col} < ({right})::date + 1"
                ))
                .map(Some)
            }
            // extract(year from t) = 2024  →  t >= make_date(2024, 1, 1) AND t < make_date(2025, 1, 1)
            Expr::Extract {
                field: DateTimeField::Year,
                expr,
                ..
            } => {
                let Some(col) = temporal(expr) else {
                    return Ok(None);
                };
                let Some(year) = number(right).filter(|y| y.fract() == 0.0) else {
                    return Err(format!(
                        "extract(year …) = {right}: the year must be a whole-number constant for a range"
                    ));
                };
                let y = year as i64;
                parse_expr(&format!(
                    "{col} >= make_date({y}, 1, 1) AND {col} < make_date({}, 1, 1)",
                    y + 1
                ))
                .map(Some)
            }
            // date_trunc('day', t) = v  →  t in [trunc(v), trunc(v) + 1 day), and v is itself
            // truncated (otherwise the original matches nothing; the rewrite keeps that).
            Expr::Function(f) if steward_rules::util::function_name(f) == "date_trunc" => {
                let args = steward_rules::util::function_args(f);
                let [unit, col] = args.as_slice() else {
                    return Ok(None);
                };
                let Some(unit) = steward_rules::util::string_literal(unit) else {
                    return Ok(None);
                };
                let unit = unit.to_lowercase();
                if !["minute", "hour", "day", "week", "month", "year"].contains(&unit.as_str()) {
                    return Err(format!("date_trunc('{unit}', …): no interval of that unit"));
                }
                let Some((col, ty)) = typed(col) else {
                    return Ok(None);
                };
                // The value is read as the column's type, as in the original comparison.
                let t = format!("date_trunc('{unit}', ({right})::{ty})");
                parse_expr(&format!(
                    "{col} >= {t} AND {col} < {t} + interval '1 {unit}' AND {t} = {right}"
                ))
                .map(Some)
            }
            _ => Ok(None),
        }
    });
    finish(
        statement,
        result,
        "sargable-range",
        "the same rows as a range on the bare column, which a B-tree index on it can serve",
        None,
    )
}

/// A correlated scalar aggregate subquery in the select list → `LEFT JOIN LATERAL`.
pub fn correlated_to_lateral(sql: &str, model: &Model) -> Outcome {
    let Ok(mut statement) = parse_one(sql) else {
        return Outcome::NotApplicable;
    };
    let Some((q, _)) = top_select(&mut statement) else {
        return Outcome::NotApplicable;
    };
    let Some(select) = body_select(q) else {
        return Outcome::NotApplicable;
    };
    let _ = model;
    let mut joins: Vec<String> = Vec::new();
    for (i, item) in select.projection.iter_mut().enumerate() {
        let (expr, alias) = match item {
            SelectItem::UnnamedExpr(e) => (e.clone(), None),
            SelectItem::ExprWithAlias { expr, alias } => (expr.clone(), Some(alias.value.clone())),
            _ => continue,
        };
        let Expr::Subquery(sub) = &expr else { continue };
        let SetExpr::Select(inner) = sub.body.as_ref() else {
            continue;
        };
        let [SelectItem::UnnamedExpr(Expr::Function(f))] = inner.projection.as_slice() else {
            return Outcome::Refused(
                "the scalar subquery is not a single aggregate: it may return several rows (an error in the original, duplicates in a join) — add an aggregate or LIMIT 1 first".into(),
            );
        };
        let name = steward_rules::util::function_name(f);
        let aggregate = [
            "count",
            "sum",
            "min",
            "max",
            "avg",
            "bool_and",
            "bool_or",
            "string_agg",
            "array_agg",
        ]
        .contains(&name.as_str());
        let grouped =
            !matches!(inner.group_by, ast::GroupByExpr::Expressions(ref g, _) if g.is_empty());
        if !aggregate || grouped || inner.having.is_some() {
            return Outcome::Refused(
                "only an aggregate without GROUP BY/HAVING returns exactly one row per outer row; this subquery may return none or several".into(),
            );
        }
        let column = alias.unwrap_or(name);
        let lateral = format!("s{}", i + 1);
        let mut inner_q = sub.clone();
        if let SetExpr::Select(s) = inner_q.body.as_mut() {
            s.projection = vec![SelectItem::ExprWithAlias {
                expr: Expr::Function(f.clone()),
                alias: ast::Ident::new("v"),
            }];
        }
        joins.push(format!(
            "LEFT JOIN LATERAL ({inner_q}) AS {lateral} ON true"
        ));
        let Ok(replacement) = parse_expr(&format!("{lateral}.v")) else {
            return Outcome::NotApplicable;
        };
        *item = SelectItem::ExprWithAlias {
            expr: replacement,
            alias: ast::Ident::with_quote('"', column),
        };
    }
    if joins.is_empty() {
        return Outcome::NotApplicable;
    }
    // Attach the joins to the last FROM item by re-parsing a helper query.
    let from: Vec<String> = select.from.iter().map(|f| f.to_string()).collect();
    let helper = format!("SELECT 1 FROM {} {}", from.join(", "), joins.join(" "));
    let Ok(Statement::Query(hq)) = parse_one(&helper) else {
        return Outcome::NotApplicable;
    };
    if let SetExpr::Select(hs) = *hq.body {
        select.from = hs.from;
    }
    Outcome::Rewritten(Rewrite {
        kind: "correlated-to-lateral",
        sql: statement.to_string(),
        note: "an aggregate without GROUP BY yields exactly one row (NULL or 0 when nothing matches), so a LEFT JOIN LATERAL … ON true returns the same rows and values; the planner can then choose how to join".into(),
        index: None,
        first_page: None,
    })
}

/// `ORDER BY k LIMIT n OFFSET m` → keyset pagination.
pub fn offset_to_keyset(sql: &str, model: &Model) -> Outcome {
    let Ok(mut statement) = parse_one(sql) else {
        return Outcome::NotApplicable;
    };
    let next_param = crate::params::parameter_count(&statement) + 1;
    let Some((q, _)) = top_select(&mut statement) else {
        return Outcome::NotApplicable;
    };
    let Some(ast::LimitClause::LimitOffset {
        limit: Some(limit),
        offset: Some(_),
        ..
    }) = q.limit_clause.clone()
    else {
        return Outcome::NotApplicable;
    };
    let order: Vec<(Expr, bool)> = match &q.order_by {
        Some(ast::OrderBy {
            kind: ast::OrderByKind::Expressions(list),
            ..
        }) => list
            .iter()
            .map(|o| {
                if o.options.nulls_first.is_some() {
                    // Explicit NULLS placement only matters for NULLs, refused below anyway.
                }
                (
                    o.expr.clone(),
                    matches!(o.options.sort, Some(ast::OrderBySort::Desc)),
                )
            })
            .collect(),
        _ => return Outcome::Refused("OFFSET without ORDER BY: pages are not even stable".into()),
    };
    let Some(select) = body_select(q) else {
        return Outcome::NotApplicable;
    };
    let srcs = sources(&select.from, model);
    let mut keys = Vec::new();
    for (e, _) in &order {
        match column_source(e, &srcs) {
            Some((s, c)) => keys.push((s.table.clone(), s.qualifier.clone(), c)),
            None => return Outcome::Refused(format!("ORDER BY {e} is not a plain column")),
        }
    }
    let table = keys[0].0.clone();
    if keys.iter().any(|(t, _, _)| *t != table) {
        return Outcome::Refused("ORDER BY spans several tables".into());
    }
    if order.iter().any(|(_, d)| *d != order[0].1) {
        return Outcome::Refused(
            "ORDER BY mixes ASC and DESC: a row comparison cannot express the next page".into(),
        );
    }
    let Some(t) = model.table(&table) else {
        return Outcome::Refused(format!("{table} is not a known table"));
    };
    let names: Vec<&str> = keys.iter().map(|(_, _, c)| c.as_str()).collect();
    if let Some(c) = names
        .iter()
        .find(|c| !t.column(c).is_some_and(|c| c.not_null))
    {
        return Outcome::Refused(format!(
            "{c} may be NULL: NULLs fall out of a row comparison, so keyset pages would skip rows"
        ));
    }
    let unique = t.constraints.iter().any(|k| {
        matches!(
            k.kind,
            ConstraintKind::PrimaryKey | ConstraintKind::Unique { .. }
        ) && k
            .columns
            .iter()
            .all(|c| names.iter().any(|n| n.eq_ignore_ascii_case(c)))
    });
    if !unique {
        return Outcome::Refused(format!(
            "ORDER BY {} is not unique (ties): keyset paging would skip or repeat tied rows — add the primary key as the last ORDER BY column",
            names.join(", ")
        ));
    }
    let keys_sql: Vec<String> = keys
        .iter()
        .map(|(_, q, c)| format!("{}.{}", quote_ident(q), quote_ident(c)))
        .collect();
    let params: Vec<String> = (0..keys.len())
        .map(|i| format!("${}", next_param + i))
        .collect();
    let cmp = if order[0].1 { "<" } else { ">" };
    let predicate = format!("({}) {cmp} ({})", keys_sql.join(", "), params.join(", "));
    // First page: same query without OFFSET.
    let Some(top) = q_mut(&mut statement) else {
        return Outcome::NotApplicable;
    };
    q_without_offset(top, &limit);
    let first_page = statement.to_string();
    let Some((q, _)) = top_select(&mut statement) else {
        return Outcome::NotApplicable;
    };
    let Some(select) = body_select(q) else {
        return Outcome::NotApplicable;
    };
    let Ok(pred) = parse_expr(&predicate) else {
        return Outcome::NotApplicable;
    };
    select.selection = Some(match select.selection.take() {
        Some(w) => match parse_expr(&format!("({w}) AND {predicate}")) {
            Ok(e) => e,
            Err(_) => return Outcome::NotApplicable,
        },
        None => pred,
    });
    let covered = model.indexes.iter().any(|i| {
        model.same_name(&i.table, &table)
            && i.valid
            && i.predicate.is_none()
            && i.leading_columns().len() >= names.len()
            && i.leading_columns()
                .iter()
                .zip(&names)
                .all(|(a, b)| a.eq_ignore_ascii_case(b))
    });
    // Dropping `OFFSET $k` leaves a gap in the numbering, which PostgreSQL refuses ("could
    // not determine data type of parameter $k"): number the parameters densely again.
    let (sql, renumbered) = dense_params(&statement.to_string());
    let first_page = dense_params(&first_page).0;
    let params: Vec<String> = params
        .iter()
        .map(|p| renumbered.get(p).cloned().unwrap_or_else(|| p.clone()))
        .collect();
    Outcome::Rewritten(Rewrite {
        kind: "offset-to-keyset",
        sql,
        note: format!(
            "OFFSET reads and throws away every skipped row; the keyset version starts after the last row of the previous page: bind {} to its {}. The ordering is unique and NOT NULL, so pages are the same sequence.",
            params.join(", "),
            names.join(", ")
        ),
        index: (!covered).then(|| {
            format!(
                "CREATE INDEX CONCURRENTLY ON {} ({});",
                table,
                names.iter().map(|n| quote_ident(n)).collect::<Vec<_>>().join(", ")
            )
        }),
        first_page: Some(first_page),
    })
}

/// Renumbers `$n` placeholders densely (`$1, $3` → `$1, $2`) in order of their numbers;
/// returns the text and the old → new names. Tokens other than placeholders are kept as they
/// print, so literals and quoted names are untouched.
fn dense_params(sql: &str) -> (String, std::collections::HashMap<String, String>) {
    use sqlparser::tokenizer::{Token, Tokenizer};
    let Ok(tokens) = Tokenizer::new(&PostgreSqlDialect {}, sql).tokenize() else {
        return (sql.to_string(), Default::default());
    };
    let mut numbers: Vec<u32> = tokens
        .iter()
        .filter_map(|t| match t {
            Token::Placeholder(p) => p.strip_prefix('$')?.parse().ok(),
            _ => None,
        })
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    let map: std::collections::HashMap<String, String> = numbers
        .iter()
        .enumerate()
        .map(|(i, n)| (format!("${n}"), format!("${}", i + 1)))
        .collect();
    let text = tokens
        .iter()
        .map(|t| match t {
            Token::Placeholder(p) => map.get(p).cloned().unwrap_or_else(|| p.clone()),
            other => other.to_string(),
        })
        .collect();
    (text, map)
}

fn q_mut(statement: &mut Statement) -> Option<&mut ast::Query> {
    match statement {
        Statement::Query(q) => Some(q),
        _ => None,
    }
}

fn q_without_offset(q: &mut ast::Query, limit: &Expr) {
    q.limit_clause = Some(ast::LimitClause::LimitOffset {
        limit: Some(limit.clone()),
        offset: None,
        limit_by: Vec::new(),
    });
}

/// Every applicable rewrite of one statement (refusals included, with their reasons).
pub fn rewrites(sql: &str, model: &Model) -> Vec<Outcome> {
    [
        offset_to_keyset(sql, model),
        correlated_to_lateral(sql, model),
        sargable_range(sql, model),
        not_in_to_not_exists(sql, model),
        count_to_exists(sql, model),
    ]
    .into_iter()
    .filter(|o| *o != Outcome::NotApplicable)
    .collect()
}
