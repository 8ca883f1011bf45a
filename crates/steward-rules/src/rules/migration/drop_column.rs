use super::common::existing_table;
use crate::prelude::*;
use sqlparser::ast::{AlterTableOperation, Statement as S};

declare_rule! {
    /// Finds columns dropped from existing tables.
    ///
    /// ## What it does
    /// Reports `ALTER TABLE … DROP COLUMN` on a table that existed before this migration.
    /// (Dropping whole tables is not reported by this rule.)
    ///
    /// ## Why it matters
    /// The data is gone for good once the migration commits, and every running application
    /// instance that still selects or inserts the column starts failing immediately — ORMs
    /// that list all mapped columns fail on every query of the table.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE customer DROP COLUMN legacy_code;
    /// ```
    ///
    /// ## Fix
    /// Deploy code that no longer reads or writes the column first (ignore it in the ORM),
    /// keep a backup of its data if it may be needed, then drop it in a later migration:
    /// ```sql
    /// CREATE TABLE customer_legacy_code_backup AS SELECT id, legacy_code FROM customer;
    /// ALTER TABLE customer DROP COLUMN legacy_code;
    /// ```
    pub struct DropColumn {
        id: "drop-column",
        category: Migration,
        severity: Warning,
        dialects: [Postgres],
        scope: Statement,
    }
}

impl Rule for DropColumn {
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
            let AlterTableOperation::DropColumn { column_names, .. } = op else {
                continue;
            };
            for column in column_names {
                out.push(
                    Self::META
                        .diag(format!(
                            "dropping {} deletes its data and breaks clients that still use it",
                            table.column(&column.value)
                        ))
                        .at(Some(ctx.statement.locate(column.span)))
                        .object(table.column(&column.value))
                        .help("deploy code that no longer reads or writes the column before this migration, and keep its data if it may be needed; the drop cannot be rolled back once committed"),
                );
            }
        }
    }
}
