use crate::prelude::*;
use sqlparser::ast::{Expr, TableFactor, Visit, Visitor};
use std::ops::ControlFlow;

declare_rule! {
    /// Finds T-SQL `WITH (NOLOCK)` and `READUNCOMMITTED` table hints.
    ///
    /// ## What it does
    /// Reports table references carrying the `NOLOCK` or `READUNCOMMITTED` hint in queries,
    /// views, procedures and triggers.
    ///
    /// ## Why it matters
    /// `NOLOCK` is not "faster reads without side effects": it reads uncommitted data. A query
    /// can return rows that are rolled back a moment later, miss rows or return them twice
    /// when a concurrent insert splits a page under an allocation-order scan, and fail with
    /// error 601 ("could not continue scan with NOLOCK due to data movement"). Totals, stock
    /// levels and balances come out wrong in ways nobody can reproduce.
    ///
    /// ## Example
    /// ```sql
    /// SELECT SUM(Total) FROM dbo.Invoice WITH (NOLOCK) WHERE CustomerId = @CustomerId;
    /// ```
    ///
    /// ## Fix
    /// Remove the hint; if readers block writers, let readers see the last committed version
    /// instead (row versioning, no dirty reads):
    /// ```sql
    /// ALTER DATABASE CURRENT SET READ_COMMITTED_SNAPSHOT ON WITH ROLLBACK IMMEDIATE;
    /// SELECT SUM(Total) FROM dbo.Invoice WHERE CustomerId = @CustomerId;
    /// ```
    pub struct NolockHint {
        id: "nolock-hint",
        category: Style,
        severity: Warning,
        dialects: [Tsql],
        scope: Query,
    }
}

impl Rule for NolockHint {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_query(&self, ctx: &QueryCtx, out: &mut Vec<Diagnostic>) {
        // Table name, hint span, hint.
        struct V(
            Vec<(
                sqlparser::ast::ObjectName,
                sqlparser::tokenizer::Span,
                String,
            )>,
        );
        impl Visitor for V {
            type Break = ();
            fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<()> {
                if let TableFactor::Table {
                    name, with_hints, ..
                } = factor
                {
                    for hint in with_hints {
                        if let Expr::Identifier(ident) = hint {
                            let upper = ident.value.to_ascii_uppercase();
                            if upper == "NOLOCK" || upper == "READUNCOMMITTED" {
                                self.0.push((name.clone(), hint.span(), upper));
                            }
                        }
                    }
                }
                ControlFlow::Continue(())
            }
        }
        let mut v = V(Vec::new());
        let _ = ctx.query.visit(&mut v);
        for (name, span, hint) in v.0 {
            let table = resolve_table(ctx.model, &name).display(ctx.dialect);
            let location = match ctx.locate(&SpanOf(span)) {
                Some(l) => Some(l),
                None => ctx.location(),
            };
            let mut d = NolockHint::META
                .diag(format!("{table} is read WITH ({hint}): dirty reads"))
                .at(location)
                .help(
                    "the query can see rows that are rolled back, miss rows or read them twice while pages split, and fail with error 601; remove the hint, and if readers block writers enable READ_COMMITTED_SNAPSHOT (readers see the last committed version)",
                )
                .fix(format!("ALTER DATABASE CURRENT SET READ_COMMITTED_SNAPSHOT ON WITH ROLLBACK IMMEDIATE;\n-- then remove the {hint} hint from the query"));
            match &ctx.source {
                QuerySource::View(n) | QuerySource::Routine(n) => {
                    d = d.object(n.display(ctx.dialect));
                }
                _ => {}
            }
            out.push(d);
        }
    }
}

/// A bare span, to locate it like an AST node.
struct SpanOf(sqlparser::tokenizer::Span);

impl Spanned for SpanOf {
    fn span(&self) -> sqlparser::tokenizer::Span {
        self.0
    }
}
