use super::common::{existing_table, generated_name, ident, table};
use crate::prelude::*;
use sqlparser::ast::{AlterColumnOperation, AlterTableOperation as Op, Statement as S};
use steward_core::model::ConstraintKind;

declare_rule! {
    /// Finds `ALTER COLUMN … SET NOT NULL` on tables that already exist.
    ///
    /// ## What it does
    /// Reports `SET NOT NULL` on a column of a table that already exists when the migration
    /// runs (not created earlier in the same file), unless a validated
    /// `CHECK (column IS NOT NULL)` already proves the column has no NULLs.
    ///
    /// ## Why it matters
    /// PostgreSQL scans the whole table to prove there are no NULLs, holding an ACCESS
    /// EXCLUSIVE lock: no reads and no writes on the table for as long as the scan takes —
    /// minutes on a large table, which is an outage for everything that touches it.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;
    /// ```
    ///
    /// ## Fix
    /// ```sql
    /// ALTER TABLE orders ADD CONSTRAINT orders_customer_id_not_null
    ///     CHECK (customer_id IS NOT NULL) NOT VALID;
    /// -- in a separate transaction (reads and writes go on while it scans):
    /// ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_not_null;
    /// -- PostgreSQL 12+ uses the validated check and skips the scan:
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
        let dialect = ctx.dialect();
        let mut existing = None;
        for op in &alter.operations {
            let Op::AlterColumn {
                column_name,
                op: AlterColumnOperation::SetNotNull,
            } = op
            else {
                continue;
            };
            if existing.is_none() {
                match existing_table(ctx, &alter.name) {
                    Some(t) => existing = Some(t),
                    None => return,
                }
            }
            let Some(name) = &existing else { return };
            let column = ident(column_name, dialect);
            let model_table = table(ctx, name);
            // Already NOT NULL: PostgreSQL does nothing.
            if model_table
                .and_then(|t| t.column(&column))
                .is_some_and(|c| c.not_null)
            {
                continue;
            }
            if model_table.is_some_and(|t| has_validated_not_null_check(t, &column)) {
                continue;
            }
            let shown = name.display(dialect);
            let col = quote_ident(&column);
            let check = quote_ident(&generated_name(&[&name.name, &column], "not_null"));
            out.push(
                SetNotNullOnExistingColumn::META
                    .diag(format!(
                        "SET NOT NULL on {} scans existing table {shown} under an ACCESS EXCLUSIVE lock",
                        name.column_display(&column, dialect)
                    ))
                    .at(Some(ctx.statement.locate(column_name.span)))
                    .object(name.column_display(&column, dialect))
                    .help("no query can read or write the table while it is scanned for NULLs; prove it first with a NOT VALID check validated separately (PostgreSQL 12+ then skips the scan)")
                    .fix(format!(
                        "ALTER TABLE {shown} ADD CONSTRAINT {check} CHECK ({col} IS NOT NULL) NOT VALID;\n\
                         -- in a separate transaction:\n\
                         ALTER TABLE {shown} VALIDATE CONSTRAINT {check};\n\
                         ALTER TABLE {shown} ALTER COLUMN {col} SET NOT NULL;\n\
                         ALTER TABLE {shown} DROP CONSTRAINT {check};"
                    )),
            );
        }
    }
}

/// Whether a validated `CHECK (column IS NOT NULL)` already proves the column has no NULLs.
fn has_validated_not_null_check(table: &steward_core::model::Table, column: &str) -> bool {
    let wanted = format!("{} is not null", quote_ident(column)).to_lowercase();
    let bare = format!("{column} is not null").to_lowercase();
    table.constraints.iter().any(|c| match &c.kind {
        ConstraintKind::Check { expression } if !c.not_valid => {
            let e = expression
                .trim()
                .trim_start_matches('(')
                .trim_end_matches(')')
                .to_lowercase();
            e == wanted || e == bare
        }
        _ => false,
    })
}
