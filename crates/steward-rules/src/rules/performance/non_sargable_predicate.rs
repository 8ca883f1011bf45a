use super::scope::{column_source, mentions_column, sources, Source};
use crate::prelude::*;
use sqlparser::ast::{BinaryOperator as Op, Expr, JoinConstraint, JoinOperator};
use steward_core::model::{IndexKeyKind, Model};
use steward_sql::names::normalize_sql;

declare_rule! {
    /// Finds predicates that wrap a column in a function, cast or arithmetic.
    ///
    /// ## What it does
    /// Reports comparisons in WHERE and JOIN … ON where one side applies a function, a cast or
    /// arithmetic to a column (`lower(email) = $1`, `date(created_at) = '2024-05-01'`,
    /// `created_at::date = …`, `price * 1.2 > 100`, T-SQL `YEAR(d) = 2024`) and the other side
    /// does not involve the same query's columns. Not reported when the table already has an
    /// expression index on exactly that expression.
    ///
    /// ## Why it matters
    /// An index on `email` stores `email`, not `lower(email)`: the planner cannot use it and
    /// reads the whole table for every call. The cost grows with the table and hides until the
    /// table is large.
    ///
    /// ## Example
    /// ```sql
    /// SELECT id FROM customer WHERE lower(email) = lower($1);
    /// SELECT id FROM orders WHERE date(created_at) = '2024-05-01';
    /// ```
    ///
    /// ## Fix
    /// Index the expression, or rewrite the predicate as a range on the bare column:
    /// ```sql
    /// CREATE INDEX CONCURRENTLY customer_lower_email_idx ON customer (lower(email));
    /// SELECT id FROM orders WHERE created_at >= '2024-05-01' AND created_at < date '2024-05-01' + 1;
    /// ```
    pub struct NonSargablePredicate {
        id: "non-sargable-predicate",
        category: Performance,
        severity: Warning,
        dialects: [Postgres, Tsql],
        scope: Query,
    }
}

impl Rule for NonSargablePredicate {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_query(&self, ctx: &QueryCtx, out: &mut Vec<Diagnostic>) {
        let start = out.len();
        for_each_select(ctx.query, |select| {
            let scope = sources(select, ctx.model);
            if scope.is_empty() {
                return;
            }
            let mut predicates: Vec<&Expr> = select.selection.iter().collect();
            for twj in &select.from {
                for join in &twj.joins {
                    if let Some(JoinConstraint::On(e)) = join_constraint(&join.join_operator) {
                        predicates.push(e);
                    }
                }
            }
            for predicate in predicates {
                for_each_conjunct(predicate, &mut |e| check(ctx, &scope, e, out));
            }
        });
        dedupe_from(out, start);
    }
}

fn join_constraint(op: &JoinOperator) -> Option<&JoinConstraint> {
    match op {
        JoinOperator::Join(c)
        | JoinOperator::Inner(c)
        | JoinOperator::Left(c)
        | JoinOperator::LeftOuter(c)
        | JoinOperator::Right(c)
        | JoinOperator::RightOuter(c)
        | JoinOperator::FullOuter(c) => Some(c),
        _ => None,
    }
}

/// Calls `f` on each AND/OR operand that is itself a comparison.
fn for_each_conjunct<'a>(e: &'a Expr, f: &mut dyn FnMut(&'a Expr)) {
    match e {
        Expr::BinaryOp {
            left,
            op: Op::And | Op::Or,
            right,
        } => {
            for_each_conjunct(left, f);
            for_each_conjunct(right, f);
        }
        Expr::Nested(inner) => for_each_conjunct(inner, f),
        other => f(other),
    }
}

fn check(ctx: &QueryCtx, scope: &[Source], e: &Expr, out: &mut Vec<Diagnostic>) {
    let sides: Vec<(&Expr, &Expr)> = match e {
        Expr::BinaryOp {
            left,
            op: Op::Eq | Op::Lt | Op::Gt | Op::LtEq | Op::GtEq,
            right,
        } => {
            vec![(left, right), (right, left)]
        }
        Expr::Between {
            expr, low, high, ..
        } => {
            if mentions_column(low, scope) || mentions_column(high, scope) {
                return;
            }
            vec![(expr, low)]
        }
        Expr::In {
            expr,
            target: sqlparser::ast::InTarget::List(list),
            ..
        } => {
            if list.iter().any(|x| mentions_column(x, scope)) {
                return;
            }
            match list.first() {
                Some(first) => vec![(expr, first)],
                None => return,
            }
        }
        _ => return,
    };
    for (wrapped, other) in sides {
        if mentions_column(other, scope) {
            continue;
        }
        let Some((source, column, kind)) = wrapped_column(wrapped, scope) else {
            continue;
        };
        if has_expression_index(ctx.model, &source.table, wrapped) {
            continue;
        }
        let date_range = kind == Wrap::DateTrunc;
        let help = if date_range {
            "an index on the column cannot serve a predicate on a function of it, so every row is read; compare the bare column with a range (`col >= day AND col < day + 1`) or index the expression"
        } else {
            "an index on the column cannot serve a predicate on a function, cast or arithmetic of it, so every row is read; index the expression or move the computation to the other side"
        };
        let fix = match ctx.dialect {
            // An index on a function of the column; arithmetic is better moved to the other side.
            Dialect::Postgres if !date_range && matches!(wrapped, Expr::Function(_)) => {
                Some(format!(
                    "CREATE INDEX CONCURRENTLY ON {} (({}));",
                    source.table,
                    strip_qualifiers(wrapped)
                ))
            }
            _ => None,
        };
        let mut d = NonSargablePredicate::META
            .diag(format!(
                "`{wrapped}` in a predicate cannot use an index on {}",
                source.table.column_display(&column, ctx.dialect)
            ))
            .at(ctx.locate(wrapped).or_else(|| ctx.location()))
            .object(source.table.column_display(&column, ctx.dialect))
            .help(help)
            .fix_opt(fix);
        if ctx.calls.is_some() {
            d = d.help(format!("{help} (runs {} times)", ctx.calls.unwrap_or(0)));
        }
        out.push(d);
        return;
    }
}

#[derive(PartialEq)]
enum Wrap {
    /// A function truncating a timestamp to a day/month/year, or a cast to date.
    DateTrunc,
    Other,
}

/// The column wrapped by a function, cast or arithmetic, if `e` is one.
fn wrapped_column<'s>(e: &Expr, scope: &'s [Source]) -> Option<(&'s Source, String, Wrap)> {
    let (inner, kind): (Vec<&Expr>, Wrap) = match e {
        Expr::Function(f) => {
            let name = function_name(f);
            // Aggregates and window functions belong to HAVING/OVER, not to index lookups.
            if f.over.is_some()
                || matches!(
                    name.as_str(),
                    "count" | "sum" | "avg" | "min" | "max" | "coalesce" | "isnull" | "nullif"
                )
            {
                return None;
            }
            let kind = if matches!(
                name.as_str(),
                "date" | "year" | "month" | "day" | "date_trunc" | "datepart" | "to_char"
            ) {
                Wrap::DateTrunc
            } else {
                Wrap::Other
            };
            (function_args(f), kind)
        }
        Expr::Cast {
            expr, data_type, ..
        } => {
            let to_date = data_type.to_string().eq_ignore_ascii_case("date");
            (
                vec![expr.as_ref()],
                if to_date {
                    Wrap::DateTrunc
                } else {
                    Wrap::Other
                },
            )
        }
        Expr::Extract { expr, .. } => (vec![expr.as_ref()], Wrap::DateTrunc),
        Expr::BinaryOp {
            left,
            op: Op::Plus | Op::Minus | Op::Multiply | Op::Divide | Op::StringConcat,
            right,
        } => (vec![left.as_ref(), right.as_ref()], Wrap::Other),
        Expr::Nested(inner) => return wrapped_column(inner, scope),
        _ => return None,
    };
    let columns: Vec<(&Source, String)> = inner
        .iter()
        .filter_map(|x| column_source(x, scope))
        .collect();
    match columns.as_slice() {
        [(source, column)] => Some((source, column.clone(), kind)),
        _ => None,
    }
}

fn has_expression_index(model: &Model, table: &QualName, e: &Expr) -> bool {
    let wanted = normalize_sql(&strip_qualifiers(e));
    model.indexes_on(table).any(|i| {
        i.predicate.is_none()
            && matches!(i.keys.first().map(|k| &k.kind), Some(IndexKeyKind::Expression(x)) if *x == wanted)
    })
}

/// The expression's text with column qualifiers removed (`lower(c.email)` → `lower(email)`), as
/// index expressions are written.
fn strip_qualifiers(e: &Expr) -> String {
    let mut e = e.clone();
    let _ = sqlparser::ast::visit_expressions_mut(&mut e, |x| {
        if let Expr::CompoundIdentifier(parts) = x {
            if let Some(last) = parts.last().cloned() {
                *x = Expr::Identifier(last);
            }
        }
        std::ops::ControlFlow::<()>::Continue(())
    });
    e.to_string()
}
