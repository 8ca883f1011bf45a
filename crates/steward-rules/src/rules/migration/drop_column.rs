use super::common::{column_added_in_this_file, existing_table, ident};
use crate::prelude::*;
use sqlparser::ast::{AlterTableOperation as Op, Statement as S};

declare_rule! {
    /// Finds columns dropped from tables that already exist.
    ///
    /// ## What it does
    /// Reports `ALTER TABLE … DROP COLUMN` on a table that already exists when the migration
    /// runs (not created earlier in the same file). Columns added earlier in the same file are
    /// not reported. `DROP TABLE` is not covered by this rule.
    ///
    /// ## Why it matters
    /// Two costs, both immediate. Every running query that still selects, inserts or updates
    /// the column fails from that moment on — including `INSERT`s from code that lists it and
    /// ORMs that name every mapped column. And the data is gone: getting it back means a
    /// restore from backup, with the downtime and lost writes that implies.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE customers DROP COLUMN fax;
    /// ```
    ///
    /// ## Fix
    /// Contract in steps: first deploy code that neither reads nor writes the column (for ORMs,
    /// mark it ignored), keep a copy if the data may be needed, and only then drop it — with a
    /// suppression saying it was checked:
    /// ```sql
    /// CREATE TABLE customers_fax_archive AS SELECT id, fax FROM customers;
    /// -- steward: ignore[drop-column] no deployed code reads customers.fax since v42
    /// ALTER TABLE customers DROP COLUMN fax;
    /// ```
    pub struct DropColumn {
        id: "drop-column",
        category: Migration,
        severity: Warning,
        dialects: [Postgres, Tsql],
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
        let dialect = ctx.dialect();
        let mut existing = None;
        for op in &alter.operations {
            let Op::DropColumn { column_names, .. } = op else {
                continue;
            };
            if existing.is_none() {
                match existing_table(ctx, &alter.name) {
                    Some(t) => existing = Some(t),
                    None => return,
                }
            }
            let Some(table) = &existing else { return };
            let shown = table.display(dialect);
            for column in column_names {
                let name = ident(column, dialect);
                if column_added_in_this_file(ctx, table, &name) {
                    continue;
                }
                let object = table.column_display(&name, dialect);
                out.push(
                    DropColumn::META
                        .diag(format!(
                            "dropping column {object} of existing table {shown} breaks running code that uses it and deletes its data"
                        ))
                        .at(Some(ctx.statement.locate(column.span)))
                        .object(object)
                        .help("deploy code that no longer reads or writes the column first, and keep a copy if the data may be needed; a dropped column comes back only from a backup"),
                );
            }
        }
    }
}
