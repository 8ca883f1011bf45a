use crate::prelude::*;
use sqlparser::ast::{BinaryOperator as Op, Expr, FunctionArgumentList, FunctionArguments};

declare_rule! {
    /// Finds `COUNT(*) > 0` used to test whether rows exist.
    ///
    /// ## What it does
    /// Reports comparisons of a `COUNT(…)` — or of a scalar subquery returning one — with 0 or 1
    /// that only ask "is there at least one row?" (`> 0`, `>= 1`, `<> 0`, `!= 0`, `= 0`, `< 1`,
    /// and the mirrored forms).
    ///
    /// ## Why it matters
    /// COUNT reads every matching row to produce a number nobody needs; EXISTS stops at the first
    /// one. On a customer with 50,000 orders that is 50,000 index entries versus one.
    ///
    /// ## Example
    /// ```sql
    /// SELECT c.id FROM customer c WHERE (SELECT count(*) FROM orders o WHERE o.customer_id = c.id) > 0;
    /// ```
    ///
    /// ## Fix
    /// ```sql
    /// SELECT c.id FROM customer c WHERE EXISTS (SELECT FROM orders o WHERE o.customer_id = c.id);
    /// ```
    pub struct CountForExistence {
        id: "count-for-existence",
        category: Performance,
        severity: Warning,
        dialects: [Postgres, Tsql],
        scope: Query,
    }
}

impl Rule for CountForExistence {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_query(&self, ctx: &QueryCtx, out: &mut Vec<Diagnostic>) {
        let start = out.len();
        for_each_expr(ctx.query, |e| {
            let Expr::BinaryOp { left, op, right } = e else {
                return;
            };
            let existence = match (is_count(left), is_count(right), number(left), number(right)) {
                (true, _, _, Some(n)) => tests_existence(op, n, false),
                (_, true, Some(n), _) => tests_existence(op, n, true),
                _ => false,
            };
            if !existence {
                return;
            }
            let mut d = Self::META
                .diag(format!("`{e}` counts every matching row to test whether one exists"))
                .at(ctx.locate(e).or_else(|| ctx.location()))
                .help("COUNT reads all matching rows; EXISTS (or NOT EXISTS) stops at the first: `EXISTS (SELECT FROM … WHERE …)`");
            if let Some(object) = ctx.context_object() {
                d = d.object(object);
            }
            out.push(d);
        });
        dedupe_from(out, start);
    }
}

/// `count(…)`, or a scalar subquery whose only output is `count(…)`.
fn is_count(e: &Expr) -> bool {
    match e {
        Expr::Function(f) => {
            function_name(f) == "count"
                && !matches!(
                    &f.args,
                    FunctionArguments::List(FunctionArgumentList {
                        duplicate_treatment: Some(_),
                        ..
                    })
                )
                && f.over.is_none()
        }
        Expr::Nested(inner) => is_count(inner),
        Expr::Subquery(q) => match q.body.as_ref() {
            sqlparser::ast::SetExpr::Select(s) => {
                s.group_by == sqlparser::ast::GroupByExpr::Expressions(vec![], vec![])
                    && s.having.is_none()
                    && matches!(s.projection.as_slice(), [sqlparser::ast::SelectItem::UnnamedExpr(x) | sqlparser::ast::SelectItem::ExprWithAlias { expr: x, .. }] if is_count(x))
            }
            _ => false,
        },
        _ => false,
    }
}

fn number(e: &Expr) -> Option<i64> {
    match e {
        Expr::Value(v) => match &v.value {
            sqlparser::ast::Value::Number(n, _) => n.parse().ok(),
            _ => None,
        },
        Expr::Nested(inner) => number(inner),
        _ => None,
    }
}

/// Whether `count op n` (or `n op count` when `mirrored`) only distinguishes zero from non-zero.
fn tests_existence(op: &Op, n: i64, mirrored: bool) -> bool {
    let op = if mirrored {
        match op {
            Op::Gt => Op::Lt,
            Op::Lt => Op::Gt,
            Op::GtEq => Op::LtEq,
            Op::LtEq => Op::GtEq,
            other => other.clone(),
        }
    } else {
        op.clone()
    };
    matches!(
        (op, n),
        (Op::Gt, 0) | (Op::GtEq, 1) | (Op::NotEq, 0) | (Op::Eq, 0) | (Op::Lt, 1) | (Op::LtEq, 0)
    )
}
