use super::common::existing_table;
use crate::prelude::*;
use sqlparser::ast::{AlterColumnOperation, AlterTableOperation, Statement as S};

declare_rule! {
    /// Finds `SET NOT NULL` on columns of existing tables.
    ///
    /// ## What it does
    /// Reports `ALTER TABLE … ALTER COLUMN … SET NOT NULL` on a table that existed before this
    /// migration.
    ///
    /// ## Why it matters
    /// PostgreSQL scans the whole table to prove no NULL exists while holding an ACCESS
    /// EXCLUSIVE lock: no reads, no writes, for as long as the scan takes. Since PostgreSQL 12
    /// the scan is skipped when a validated `CHECK (col IS NOT NULL)` constraint already proves
    /// it — and that constraint can be validated without blocking.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;
    /// ```
    ///
    /// ## Fix
    /// ```sql
    /// ALTER TABLE orders ADD CONSTRAINT orders_customer_id_not_null CHECK (customer_id IS NOT NULL) NOT VALID;
    /// ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_not_null;
    /// ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;
    /// ALTER TABLE orders DROP CONSTRAINT orders_customer_id_not_null;
    /// ```
    pub struct SetNotNullOnExistingColumn {
        id: "set-not-null-on-existing-column",
        category: Migration,
        severity: Warning,
        dialects: [Postgres],
        scope: Statement,
    }
}

impl Rule for SetNotNullOnExistingColumn {
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
            let AlterTableOperation::AlterColumn {
                column_name,
                op: AlterColumnOperation::SetNotNull,
            } = op
            else {
                continue;
            };
            let column = quote_ident(&column_name.value);
            let check = quote_ident(&format!("{}_{}_not_null", table.name, column_name.value));
            out.push(
                Self::META
                    .diag(format!(
                        "SET NOT NULL on {} scans the whole table under an ACCESS EXCLUSIVE lock",
                        table.column(&column_name.value)
                    ))
                    .at(Some(ctx.statement.locate(column_name.span)))
                    .object(table.column(&column_name.value))
                    .help("reads and writes wait for the full scan; prove it first with a NOT VALID check constraint validated separately, which PostgreSQL 12+ uses to skip the scan")
                    .fix(format!(
                        "ALTER TABLE {table} ADD CONSTRAINT {check} CHECK ({column} IS NOT NULL) NOT VALID;\nALTER TABLE {table} VALIDATE CONSTRAINT {check};\nALTER TABLE {table} ALTER COLUMN {column} SET NOT NULL;\nALTER TABLE {table} DROP CONSTRAINT {check};"
                    )),
            );
        }
    }
}
