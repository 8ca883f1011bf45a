use super::scope::sources;
use crate::prelude::*;
use sqlparser::ast::{Expr, SelectItem, SetExpr};

declare_rule! {
    /// Finds scalar subqueries in the select list that run once per output row.
    ///
    /// ## What it does
    /// Reports a `(SELECT …)` in a SELECT list that refers to a table of the outer query by its
    /// name or alias (a correlated subquery).
    ///
    /// ## Why it matters
    /// The subquery is executed for every row the outer query returns: 10,000 customers means
    /// 10,000 separate lookups, and the plan cannot switch to a single hash join. Listing pages
    /// that compute counts or "latest" values this way slow down linearly with page size.
    ///
    /// ## Example
    /// ```sql
    /// SELECT c.id, (SELECT count(*) FROM orders o WHERE o.customer_id = c.id) AS order_count
    /// FROM customer c;
    /// ```
    ///
    /// ## Fix
    /// Aggregate once and join, or use LATERAL for "top 1 per row":
    /// ```sql
    /// SELECT c.id, coalesce(o.order_count, 0) AS order_count
    /// FROM customer c
    /// LEFT JOIN (SELECT customer_id, count(*) AS order_count FROM orders GROUP BY customer_id) o
    ///   ON o.customer_id = c.id;
    /// ```
    pub struct CorrelatedSubquery {
        id: "correlated-subquery",
        category: Performance,
        severity: Warning,
        dialects: [Postgres, Tsql],
        scope: Query,
    }
}

impl Rule for CorrelatedSubquery {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_query(&self, ctx: &QueryCtx, out: &mut Vec<Diagnostic>) {
        let start = out.len();
        for_each_select(ctx.query, |select| {
            let outer: Vec<String> = sources(select, ctx.model)
                .into_iter()
                .map(|s| s.qualifier)
                .collect();
            if outer.is_empty() {
                return;
            }
            for item in &select.projection {
                let expr = match item {
                    SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => e,
                    _ => continue,
                };
                for_each_expr(expr, |e| {
                    let Expr::Subquery(sub) = e else { return };
                    let SetExpr::Select(inner) = sub.body.as_ref() else {
                        return;
                    };
                    let own: Vec<String> = sources(inner, ctx.model)
                        .into_iter()
                        .map(|s| s.qualifier)
                        .collect();
                    let mut correlated = None;
                    for_each_expr(sub.as_ref(), |x| {
                        if let Expr::CompoundIdentifier(parts) = x {
                            if parts.len() >= 2 {
                                let q = parts[parts.len() - 2].value.to_lowercase();
                                if correlated.is_none() && outer.contains(&q) && !own.contains(&q) {
                                    correlated = Some(x.to_string());
                                }
                            }
                        }
                    });
                    let Some(reference) = correlated else { return };
                    let mut d = Self::META
                        .diag(format!(
                            "scalar subquery in the select list runs once per row (correlated through {reference})"
                        ))
                        .at(ctx.locate(e).or_else(|| ctx.location()))
                        .help("each output row executes the subquery again; aggregate once in a derived table and LEFT JOIN it (with GROUP BY), or use LATERAL (T-SQL: OUTER APPLY) for a top-1 per row");
                    if let Some(object) = ctx.context_object() {
                        d = d.object(object);
                    }
                    out.push(d);
                });
            }
        });
        dedupe_from(out, start);
    }
}
