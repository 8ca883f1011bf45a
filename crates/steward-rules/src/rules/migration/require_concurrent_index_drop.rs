use super::common::index_table;
use crate::prelude::*;
use sqlparser::ast::{ObjectType, Statement as S};

declare_rule! {
    /// Finds `DROP INDEX` without CONCURRENTLY on existing tables.
    ///
    /// ## What it does
    /// Reports `DROP INDEX` without `CONCURRENTLY` when the index belongs to a table that
    /// existed before this migration (or is not created by the input at all).
    ///
    /// ## Why it matters
    /// A plain DROP INDEX takes an ACCESS EXCLUSIVE lock on the table: while it waits for
    /// running queries to finish, every new read and write of the table queues behind it. On a
    /// busy table that is an outage measured in the length of the longest running query.
    ///
    /// ## Example
    /// ```sql
    /// DROP INDEX orders_status_idx;
    /// ```
    ///
    /// ## Fix
    /// Run outside a transaction block, one index per statement:
    /// ```sql
    /// DROP INDEX CONCURRENTLY orders_status_idx;
    /// ```
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
            ..
        }) = ctx.statement.ast()
        else {
            return;
        };
        if ctx.statement.removed("CONCURRENTLY") {
            return;
        }
        for name in names {
            let Some(table) = index_table(ctx, name) else {
                continue;
            };
            let on = table.map(|t| format!(" on {t}")).unwrap_or_default();
            let exists = if *if_exists { "IF EXISTS " } else { "" };
            out.push(
                Self::META
                    .diag(format!("DROP INDEX {name}{on} locks the table against reads and writes"))
                    .at(Some(ctx.locate(name)))
                    .object(name.to_string())
                    .help("a plain DROP INDEX takes an ACCESS EXCLUSIVE lock, and queries queue behind it while it waits; drop it CONCURRENTLY (outside a transaction block)")
                    .fix(format!("DROP INDEX CONCURRENTLY {exists}{name};")),
            );
        }
    }
}
