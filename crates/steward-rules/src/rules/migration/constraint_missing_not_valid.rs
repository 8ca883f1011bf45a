use super::common::{existing_table, generated_name, ident};
use crate::prelude::*;
use sqlparser::ast::{AlterTableOperation as Op, Statement as S, TableConstraint};

declare_rule! {
    /// Finds `FOREIGN KEY` and `CHECK` constraints added to existing tables without `NOT VALID`.
    ///
    /// ## What it does
    /// Reports `ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY` or `CHECK` on a table that already
    /// exists when the migration runs (not created earlier in the same file), unless the
    /// constraint is added `NOT VALID`.
    ///
    /// ## Why it matters
    /// Adding the constraint checks every existing row while holding a lock that blocks writes
    /// (ACCESS EXCLUSIVE for CHECK; SHARE ROW EXCLUSIVE on both tables for a foreign key). On
    /// a table of millions of rows that is minutes of failed or queued INSERTs and UPDATEs.
    /// Added `NOT VALID`, the constraint applies to new rows at once; a separate
    /// `VALIDATE CONSTRAINT` then checks old rows under a lock that lets reads and writes go on.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders ADD CONSTRAINT orders_customer_fk
    ///     FOREIGN KEY (customer_id) REFERENCES customers (id);
    /// ```
    ///
    /// ## Fix
    /// ```sql
    /// ALTER TABLE orders ADD CONSTRAINT orders_customer_fk
    ///     FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
    /// -- in a separate transaction (next migration):
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
        let mut table = None;
        let dialect = ctx.dialect();
        for op in &alter.operations {
            let Op::AddConstraint {
                constraint,
                not_valid: false,
            } = op
            else {
                continue;
            };
            let (kind, name, suffix, columns) = match constraint {
                TableConstraint::ForeignKey(fk) => (
                    "FOREIGN KEY",
                    fk.name.as_ref(),
                    "fkey",
                    fk.columns
                        .iter()
                        .map(|c| ident(c, dialect))
                        .collect::<Vec<_>>(),
                ),
                TableConstraint::Check(check) => (
                    "CHECK",
                    check.name.as_ref(),
                    "check",
                    first_column(&check.expr, dialect).into_iter().collect(),
                ),
                _ => continue,
            };
            if table.is_none() {
                match existing_table(ctx, &alter.name) {
                    Some(t) => table = Some(t),
                    None => return,
                }
            }
            let Some(table) = &table else { return };
            let shown = table.display(dialect);
            // The fix needs a name to validate by; PostgreSQL's own choice for unnamed ones.
            let (constraint_name, definition) = match name {
                Some(n) => (ident(n, dialect), constraint.to_string()),
                None => {
                    let mut parts: Vec<&str> = vec![table.name.as_str()];
                    parts.extend(columns.iter().map(String::as_str));
                    let generated = generated_name(&parts, suffix);
                    let definition = format!("CONSTRAINT {} {constraint}", quote_ident(&generated));
                    (generated, definition)
                }
            };
            let quoted = quote_ident(&constraint_name);
            out.push(
                ConstraintMissingNotValid::META
                    .diag(format!(
                        "{kind} constraint {quoted} on existing table {shown} checks every row while blocking writes"
                    ))
                    .at(Some(ctx.locate(constraint)))
                    .object(format!("{shown}.{quoted}"))
                    .help("validation scans the whole table under a lock that blocks INSERT and UPDATE; add it NOT VALID (new rows are checked at once), then VALIDATE CONSTRAINT in a separate transaction, which lets reads and writes go on")
                    .fix(format!(
                        "ALTER TABLE {shown} ADD {definition} NOT VALID;\n-- in a separate transaction:\nALTER TABLE {shown} VALIDATE CONSTRAINT {quoted};"
                    )),
            );
        }
    }
}

/// The first column a CHECK expression names (PostgreSQL names unnamed checks after it).
fn first_column(expr: &sqlparser::ast::Expr, dialect: Dialect) -> Option<String> {
    let mut found = None;
    for_each_expr(expr, |e| {
        if found.is_none() {
            match e {
                sqlparser::ast::Expr::Identifier(i) => found = Some(ident(i, dialect)),
                sqlparser::ast::Expr::CompoundIdentifier(parts) => {
                    found = parts.last().map(|i| ident(i, dialect))
                }
                _ => {}
            }
        }
    });
    found
}
