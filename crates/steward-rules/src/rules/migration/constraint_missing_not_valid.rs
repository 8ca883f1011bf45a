use super::common::existing_table;
use crate::prelude::*;
use sqlparser::ast::{AlterTableOperation, Statement as S, TableConstraint};

declare_rule! {
    /// Finds foreign keys and CHECK constraints added to existing tables without NOT VALID.
    ///
    /// ## What it does
    /// Reports `ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY` or `CHECK` without `NOT VALID` on a
    /// table that existed before this migration.
    ///
    /// ## Why it matters
    /// Adding the constraint validates every existing row while holding a lock that blocks
    /// writes (SHARE ROW EXCLUSIVE for foreign keys — on both tables — ACCESS EXCLUSIVE for
    /// CHECK). On a large table that is minutes of failed or queued writes. With NOT VALID the
    /// constraint applies to new rows at once, and VALIDATE CONSTRAINT checks the old ones later
    /// under a lock that lets reads and writes continue.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customer (id);
    /// ```
    ///
    /// ## Fix
    /// ```sql
    /// ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customer (id) NOT VALID;
    /// -- in a separate transaction:
    /// ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;
    /// ```
    pub struct ConstraintMissingNotValid {
        id: "constraint-missing-not-valid",
        category: Migration,
        severity: Warning,
        dialects: [Postgres],
        scope: Statement,
    }
}

impl Rule for ConstraintMissingNotValid {
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
            let AlterTableOperation::AddConstraint {
                constraint,
                not_valid: false,
            } = op
            else {
                continue;
            };
            let (kind, name, suffix) = match constraint {
                TableConstraint::ForeignKey(fk) => (
                    "foreign key",
                    fk.name.as_ref().map(|n| n.value.clone()),
                    format!(
                        "{}_fkey",
                        fk.columns
                            .iter()
                            .map(|c| c.value.as_str())
                            .collect::<Vec<_>>()
                            .join("_")
                    ),
                ),
                TableConstraint::Check(c) => (
                    "check constraint",
                    c.name.as_ref().map(|n| n.value.clone()),
                    "check".to_string(),
                ),
                _ => continue,
            };
            // VALIDATE needs the name: add one when the constraint has none.
            let (name, definition) = match name {
                Some(n) => (n, constraint.to_string()),
                None => {
                    let n = format!("{}_{suffix}", table.name);
                    (
                        n.clone(),
                        format!("CONSTRAINT {} {constraint}", quote_ident(&n)),
                    )
                }
            };
            out.push(
                Self::META
                    .diag(format!(
                        "adding {kind} {name} to existing table {table} validates every row while blocking writes"
                    ))
                    .at(Some(ctx.locate(constraint)))
                    .object(table.to_string())
                    .help("add it NOT VALID (new rows are checked at once), then VALIDATE CONSTRAINT in a separate transaction, which lets reads and writes continue")
                    .fix(format!(
                        "ALTER TABLE {table} ADD {definition} NOT VALID;\nALTER TABLE {table} VALIDATE CONSTRAINT {};",
                        quote_ident(&name)
                    )),
            );
        }
    }
}
