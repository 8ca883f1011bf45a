use crate::prelude::*;
use sqlparser::ast::{Expr, OrderByKind};

declare_rule! {
    /// Finds `ORDER BY random()` (T-SQL `ORDER BY NEWID()`).
    ///
    /// ## What it does
    /// Reports queries that sort by a random value to pick random rows.
    ///
    /// ## Why it matters
    /// The database must read every row, compute a random number for each and sort them all —
    /// to return a handful. The cost grows with the table: fine at a thousand rows, seconds of
    /// CPU and a temp-file sort per call at ten million.
    ///
    /// ## Example
    /// ```sql
    /// SELECT id, title FROM film ORDER BY random() LIMIT 5;
    /// ```
    ///
    /// ## Fix
    /// Sample pages instead of sorting the table (approximate, and fast):
    /// ```sql
    /// SELECT id, title FROM film TABLESAMPLE SYSTEM_ROWS(5); -- extension tsm_system_rows
    /// SELECT id, title FROM film TABLESAMPLE BERNOULLI (1) LIMIT 5;
    /// ```
    pub struct OrderByRandom {
        id: "order-by-random",
        category: Performance,
        severity: Warning,
        dialects: [Postgres, Tsql],
        scope: Query,
    }
}

impl Rule for OrderByRandom {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_query(&self, ctx: &QueryCtx, out: &mut Vec<Diagnostic>) {
        for_each_query(ctx.query, |query| {
            let Some(order_by) = &query.order_by else {
                return;
            };
            let OrderByKind::Expressions(exprs) = &order_by.kind else {
                return;
            };
            for item in exprs {
                let Expr::Function(f) = &item.expr else {
                    continue;
                };
                let name = function_name(f);
                if !matches!(name.as_str(), "random" | "newid" | "rand") {
                    continue;
                }
                let fix = match ctx.dialect {
                    Dialect::Postgres => "sample instead of sorting: `TABLESAMPLE SYSTEM_ROWS(n)` (extension tsm_system_rows) or `TABLESAMPLE BERNOULLI (p)`, or pick random ids from a known key range",
                    Dialect::Tsql => "sample instead of sorting: `TABLESAMPLE (n ROWS)`, or pick random keys from a known key range",
                };
                let mut d = Self::META
                    .diag(format!("`ORDER BY {}()` sorts every row to pick a few", f.name))
                    .at(ctx.locate(&item.expr).or_else(|| ctx.location()))
                    .help(format!("the whole table is read, given a random number and sorted on every call; {fix}"));
                if let Some(object) = ctx.context_object() {
                    d = d.object(object);
                }
                out.push(d);
            }
        });
    }
}
