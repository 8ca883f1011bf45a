use crate::prelude::*;
use sqlparser::ast::TableFactor;

declare_rule! {
    /// Finds comma joins (`FROM a, b`).
    ///
    /// ## What it does
    /// Reports SELECT blocks whose FROM clause lists several tables separated by commas. When
    /// there is no WHERE clause at all, the result is a cartesian product and the message says
    /// so. Comma-separated table functions, `LATERAL` subqueries and `unnest(…)` are not
    /// reported: that is the idiomatic way to write them.
    ///
    /// ## Why it matters
    /// With the join condition in WHERE, forgetting or breaking one condition silently turns the
    /// query into a cartesian product — rows multiplied by rows, wrong totals and a query that
    /// runs for hours. Explicit `JOIN … ON` keeps each condition next to its table and makes a
    /// missing one a syntax error.
    ///
    /// ## Example
    /// ```sql
    /// SELECT o.id, c.name FROM orders o, customer c WHERE o.customer_id = c.id;
    /// ```
    ///
    /// ## Fix
    /// ```sql
    /// SELECT o.id, c.name FROM orders o JOIN customer c ON o.customer_id = c.id;
    /// ```
    pub struct ImplicitCrossJoin {
        id: "implicit-cross-join",
        category: Performance,
        severity: Warning,
        dialects: [Postgres, Tsql],
        scope: Query,
    }
}

impl Rule for ImplicitCrossJoin {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_query(&self, ctx: &QueryCtx, out: &mut Vec<Diagnostic>) {
        let start = out.len();
        for_each_select(ctx.query, |select| {
            let tables: Vec<String> = select
                .from
                .iter()
                .filter(|twj| matches!(&twj.relation, TableFactor::Table { args: None, .. }))
                .map(|twj| twj.relation.to_string())
                .collect();
            if select.from.len() < 2 || tables.len() < 2 {
                return;
            }
            let (message, help) = if select.selection.is_none() {
                (
                    format!("`FROM {}` without any join condition is a cartesian product", tables.join(", ")),
                    "every row of one table is paired with every row of the other: the result grows multiplicatively; write the intended JOIN … ON (or CROSS JOIN if the product is really wanted)",
                )
            } else {
                (
                    format!("comma join `FROM {}`: join conditions are hidden in WHERE", tables.join(", ")),
                    "one forgotten condition in WHERE silently turns this into a cartesian product; write JOIN … ON so each condition sits with its table",
                )
            };
            let mut d = Self::META
                .diag(message)
                .at(ctx
                    .locate(&select.from[1].relation)
                    .or_else(|| ctx.location()))
                .help(help);
            if let Some(object) = ctx.context_object() {
                d = d.object(object);
            }
            out.push(d);
        });
        dedupe_from(out, start);
    }
}
