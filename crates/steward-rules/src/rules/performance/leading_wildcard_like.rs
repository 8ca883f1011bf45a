use super::scope::{column_source, sources};
use crate::prelude::*;
use sqlparser::ast::Expr;

declare_rule! {
    /// Finds `LIKE '%…'` patterns that start with a wildcard.
    ///
    /// ## What it does
    /// Reports `LIKE`/`ILIKE` (and `NOT LIKE`) on a column where the pattern is a literal that
    /// starts with `%` or `_`. Patterns passed as parameters are not reported: their shape is
    /// unknown.
    ///
    /// ## Why it matters
    /// A B-tree index can only help when the start of the string is known. With a leading
    /// wildcard every row is read and matched — a sequential scan per search box keystroke,
    /// growing with the table.
    ///
    /// ## Example
    /// ```sql
    /// SELECT id FROM customer WHERE email LIKE '%@example.com';
    /// ```
    ///
    /// ## Fix
    /// A trigram index serves any substring pattern:
    /// ```sql
    /// CREATE EXTENSION IF NOT EXISTS pg_trgm;
    /// CREATE INDEX CONCURRENTLY customer_email_trgm_idx ON customer USING gin (email gin_trgm_ops);
    /// ```
    pub struct LeadingWildcardLike {
        id: "leading-wildcard-like",
        category: Performance,
        severity: Warning,
        dialects: [Postgres, Tsql],
        scope: Query,
    }
}

impl Rule for LeadingWildcardLike {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_query(&self, ctx: &QueryCtx, out: &mut Vec<Diagnostic>) {
        let start = out.len();
        for_each_select(ctx.query, |select| {
            let scope = sources(select, ctx.model);
            let mut check = |e: &Expr| {
                let (Expr::Like { expr, pattern, .. } | Expr::ILike { expr, pattern, .. }) = e
                else {
                    return;
                };
                let Some(p) = string_literal(pattern) else {
                    return;
                };
                if !(p.starts_with('%') || p.starts_with('_')) || p.chars().all(|c| c == '%') {
                    return;
                }
                let Some((source, column)) = column_source(expr, &scope) else {
                    return;
                };
                let fix = match ctx.dialect {
                    Dialect::Postgres => Some(format!(
                        "CREATE EXTENSION IF NOT EXISTS pg_trgm;\nCREATE INDEX CONCURRENTLY {} ON {} USING gin ({} gin_trgm_ops);",
                        quote_ident(&format!("{}_{}_trgm_idx", source.table.name, column.to_lowercase())),
                        source.table,
                        quote_ident(&column)
                    )),
                    Dialect::Tsql => None,
                };
                let help = match ctx.dialect {
                    Dialect::Postgres => "no B-tree index can serve a pattern with an unknown start, so every row is read; a pg_trgm GIN index serves substring searches (or use full-text search)",
                    Dialect::Tsql => "no index can serve a pattern with an unknown start, so every row is read; use a full-text index (CONTAINS) or store a reversed column for suffix searches",
                };
                out.push(
                    Self::META
                        .diag(format!(
                            "`{expr} LIKE '{p}'` starts with a wildcard: no index on {} can be used",
                            source.table.column_display(&column, ctx.dialect)
                        ))
                        .at(ctx.locate(e).or_else(|| ctx.location()))
                        .object(source.table.column_display(&column, ctx.dialect))
                        .help(help)
                        .fix_opt(fix),
                );
            };
            if let Some(selection) = &select.selection {
                for_each_expr(selection, &mut check);
            }
        });
        dedupe_from(out, start);
    }
}
