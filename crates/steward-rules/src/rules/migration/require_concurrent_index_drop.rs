use super::common::{find_index, is_partitioned, table_sql};
use crate::prelude::*;
use sqlparser::ast::{ObjectType, Statement as S};

declare_rule! {
    /// Finds `DROP INDEX` without `CONCURRENTLY` on indexes of tables that already exist.
    ///
    /// ## What it does
    /// Reports `DROP INDEX` of an index whose table was not created earlier in the same file
    /// (so it holds data and serves queries when the migration runs), unless the drop is
    /// `CONCURRENTLY`. Indexes of tables created in the same migration are new and safe to drop.
    ///
    /// ## Why it matters
    /// A plain `DROP INDEX` takes an ACCESS EXCLUSIVE lock on the table. The drop itself is
    /// quick, but it must first wait for every running query on the table — and while it
    /// waits, every new SELECT, INSERT and UPDATE queues behind it. One slow report query is
    /// enough to stall the application for as long as it runs.
    ///
    /// ## Example
    /// ```sql
    /// DROP INDEX orders_status_idx;
    /// ```
    ///
    /// ## Fix
    /// ```sql
    /// DROP INDEX CONCURRENTLY orders_status_idx;
    /// ```
    /// `CONCURRENTLY` drops one index per statement, without `CASCADE`, and cannot run inside a
    /// transaction block; most migration tools have a per-migration switch for that.
    pub struct RequireConcurrentIndexDrop {
        id: "require-concurrent-index-drop",
        category: Migration,
        severity: Warning,
        dialects: [Postgres],
        scope: Statement,
    }
}

impl Rule for RequireConcurrentIndexDrop {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_statement(&self, ctx: &StatementCtx, out: &mut Vec<Diagnostic>) {
        let Some(S::Drop {
            object_type: ObjectType::Index,
            names,
            if_exists,
            cascade,
            ..
        }) = ctx.statement.ast()
        else {
            return;
        };
        // The parser's repair layer takes CONCURRENTLY out before parsing.
        if ctx.statement.removed("CONCURRENTLY") {
            return;
        }
        let dialect = ctx.dialect();
        let resolver = steward_sql::names::Resolver::new(dialect);
        for name in names {
            let index_name = resolver.qualify(name);
            // The index as the model knows it before this statement, or as the run creates it
            // later (`DROP INDEX IF EXISTS x` ahead of `CREATE INDEX x` in a dump).
            let index = find_index(ctx.before, &index_name)
                .or_else(|| find_index(ctx.after_all, &index_name));
            let table = index.map(|i| i.table.clone());
            if let Some(table) = &table {
                if !ctx.table_preexists(table) || is_partitioned(ctx, table) {
                    continue;
                }
            }
            // Indexes behind a constraint cannot be dropped with DROP INDEX at all.
            if index.is_some_and(|i| i.constraint.is_some()) {
                continue;
            }
            let shown = index_name.display(dialect);
            let on = table
                .as_ref()
                .map(|t| format!("existing table {}", table_sql(t, dialect)))
                .unwrap_or_else(|| "its table".to_string());
            let mut diag = RequireConcurrentIndexDrop::META
                .diag(format!(
                    "DROP INDEX {shown} takes an ACCESS EXCLUSIVE lock on {on}"
                ))
                .at(Some(ctx.locate(name)))
                .object(shown.clone());
            if *cascade {
                diag = diag.help(
                    "the drop waits for every running query on the table and every new query queues behind it; CONCURRENTLY does not allow CASCADE: drop the dependent objects first, then DROP INDEX CONCURRENTLY (outside a transaction block)",
                );
            } else {
                let if_exists = if *if_exists { "IF EXISTS " } else { "" };
                diag = diag
                    .help("the drop waits for every running query on the table and every new query queues behind it; use DROP INDEX CONCURRENTLY (outside a transaction block)")
                    .fix(format!("DROP INDEX CONCURRENTLY {if_exists}{shown};"));
            }
            out.push(diag);
        }
    }
}
