use crate::prelude::*;
use sqlparser::ast::{Expr, SelectItem, SetExpr};

declare_rule! {
    /// Finds `SELECT *` in queries and views.
    ///
    /// ## What it does
    /// Reports a `*` or `table.*` in the select list of a query, a view or a routine body.
    /// `EXISTS (SELECT * …)` is fine and not reported: it reads no columns.
    ///
    /// ## Why it matters
    /// `*` ships every column over the network, including wide text and JSON the caller never
    /// reads, and prevents index-only scans. Views defined with `*` freeze the column list at
    /// creation time, so columns added later silently do not appear; application code that
    /// reads columns by position breaks when the table changes.
    ///
    /// ## Example
    /// ```sql
    /// SELECT * FROM orders WHERE customer_id = $1;
    /// ```
    ///
    /// ## Fix
    /// Name the columns the caller uses:
    /// ```sql
    /// SELECT id, status, total FROM orders WHERE customer_id = $1;
    /// ```
    pub struct SelectStar {
        id: "select-star",
        category: Performance,
        severity: Warning,
        dialects: [Postgres, Tsql],
        scope: Query,
    }
}

impl Rule for SelectStar {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_query(&self, ctx: &QueryCtx, out: &mut Vec<Diagnostic>) {
        // Subqueries under EXISTS read no columns: collect their spans to skip them.
        let mut exists_bodies = Vec::new();
        for_each_expr(ctx.query, |e| {
            if let Expr::Exists { subquery, .. } = e {
                exists_bodies.push(subquery.body.span());
            }
        });
        for_each_query(ctx.query, |query| {
            let SetExpr::Select(select) = query.body.as_ref() else {
                return;
            };
            if exists_bodies.contains(&query.body.span()) {
                return;
            }
            for item in &select.projection {
                let star = match item {
                    SelectItem::Wildcard(_) => "*".to_string(),
                    SelectItem::QualifiedWildcard(kind, _) => kind.to_string(),
                    _ => continue,
                };
                let tables: Vec<String> =
                    select.from.iter().map(|t| t.relation.to_string()).collect();
                let from = if tables.is_empty() {
                    String::new()
                } else {
                    format!(" from {}", tables.join(", "))
                };
                let mut d = SelectStar::META
                    .diag(format!("`SELECT {star}`{from} reads every column"))
                    .at(ctx.locate(item).or_else(|| ctx.location()))
                    .help(
                        "list the columns the caller needs: less I/O and network, index-only scans become possible, and the query keeps working when columns are added or reordered",
                    );
                if let Some(object) = ctx.context_object() {
                    d = d.object(object);
                }
                out.push(d);
            }
        });
    }
}
