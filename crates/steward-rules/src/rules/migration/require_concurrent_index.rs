use crate::prelude::*;
use sqlparser::ast::Statement as S;

declare_rule! {
    /// Finds `CREATE INDEX` without `CONCURRENTLY` on tables that already exist.
    ///
    /// ## What it does
    /// Reports `CREATE INDEX` on a table that was not created earlier in the same file (so it
    /// already holds data when the migration runs). Tables created in the same file are empty
    /// and safe to index normally.
    ///
    /// ## Why it matters
    /// A plain `CREATE INDEX` takes a SHARE lock: every INSERT, UPDATE and DELETE on the table
    /// waits until the whole index is built — minutes to hours on a large table, which is an
    /// outage for the application.
    ///
    /// ## Example
    /// ```sql
    /// CREATE INDEX orders_status_idx ON orders (status);
    /// ```
    ///
    /// ## Fix
    /// ```sql
    /// CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);
    /// ```
    /// `CONCURRENTLY` cannot run inside a transaction block; most migration tools have a
    /// per-migration switch for that.
    pub struct RequireConcurrentIndex {
        id: "require-concurrent-index",
        category: Migration,
        severity: Warning,
        dialects: [Postgres],
        scope: Statement,
    }
}

impl Rule for RequireConcurrentIndex {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_statement(&self, ctx: &StatementCtx, out: &mut Vec<Diagnostic>) {
        let Some(S::CreateIndex(create)) = ctx.statement.ast() else {
            return;
        };
        if create.concurrently {
            return;
        }
        let table = resolve_table(ctx.before, &create.table_name);
        if !ctx.table_preexists(&table) {
            return;
        }
        // Indexes on partitioned parents cannot be built concurrently.
        if ctx
            .before
            .table(&table)
            .is_some_and(|t| t.kind == steward_core::model::TableKind::Partitioned)
        {
            return;
        }
        let text = ctx.statement.text.trim_end_matches(';');
        let fix = insert_after_keyword(text, "INDEX", " CONCURRENTLY")
            .unwrap_or_else(|| text.to_string());
        out.push(
            RequireConcurrentIndex::META
                .diag(format!(
                    "CREATE INDEX on existing table {table} blocks writes until the index is built"
                ))
                .at(Some(ctx.location()))
                .object(table.to_string())
                .help("INSERT, UPDATE and DELETE on the table wait for the whole build; use CONCURRENTLY (outside a transaction block)")
                .fix(format!("{fix};")),
        );
    }
}
