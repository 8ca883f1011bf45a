use super::common::existing_table;
use crate::prelude::*;
use sqlparser::ast::{AlterTableOperation, RenameTableNameKind, Statement as S};

declare_rule! {
    /// Finds renames of existing tables and columns.
    ///
    /// ## What it does
    /// Reports `ALTER TABLE … RENAME TO …` and `ALTER TABLE … RENAME COLUMN … TO …` on tables
    /// that existed before this migration.
    ///
    /// ## Why it matters
    /// The rename is instant, and that is the problem: every running application instance
    /// still uses the old name and starts failing the moment the migration commits — before
    /// the new code is deployed everywhere. Rolling deploys, background workers, reports and
    /// replicas' consumers all break at once.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE customer RENAME COLUMN email TO email_address;
    /// ```
    ///
    /// ## Fix
    /// Expand and contract: add the new name, write both, move readers, then drop the old:
    /// ```sql
    /// ALTER TABLE customer ADD COLUMN email_address text;
    /// -- backfill, dual-write from the application, switch reads, then:
    /// ALTER TABLE customer DROP COLUMN email;
    /// ```
    pub struct RenameObject {
        id: "rename-object",
        category: Migration,
        severity: Warning,
        dialects: [Postgres],
        scope: Statement,
    }
}

impl Rule for RenameObject {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_statement(&self, ctx: &StatementCtx, out: &mut Vec<Diagnostic>) {
        let Some(S::AlterTable(alter)) = ctx.statement.ast() else {
            return;
        };
        let Some(table) = existing_table(ctx, &alter.name) else {
            return;
        };
        for op in &alter.operations {
            let (what, object) = match op {
                AlterTableOperation::RenameColumn {
                    old_column_name,
                    new_column_name,
                } => (
                    format!(
                        "renaming column {} to {}",
                        table.column(&old_column_name.value),
                        new_column_name
                    ),
                    table.column(&old_column_name.value),
                ),
                AlterTableOperation::RenameTable { table_name } => {
                    let new = match table_name {
                        RenameTableNameKind::As(n) | RenameTableNameKind::To(n) => n.to_string(),
                    };
                    (
                        format!("renaming table {table} to {new}"),
                        table.to_string(),
                    )
                }
                _ => continue,
            };
            out.push(
                Self::META
                    .diag(format!("{what} breaks every client still using the old name"))
                    .at(Some(ctx.location()))
                    .object(object)
                    .help("running application instances, workers and reports fail the moment the migration commits; add the new name alongside the old, migrate clients, then drop the old (expand and contract), or keep a compatibility view"),
            );
        }
    }
}
