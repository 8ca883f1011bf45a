use super::common::{column_added_in_this_file, existing_table, ident, table};
use crate::prelude::*;
use sqlparser::ast::{AlterTableOperation as Op, RenameTableNameKind, Statement as S};

declare_rule! {
    /// Finds tables and columns renamed while application code may be using them.
    ///
    /// ## What it does
    /// Reports `ALTER TABLE … RENAME TO` and `ALTER TABLE … RENAME COLUMN` on a table that
    /// already exists when the migration runs (not created earlier in the same file). Columns
    /// added earlier in the same file are not reported.
    ///
    /// ## Why it matters
    /// The rename is instant, and that is the problem: every running instance of the
    /// application still sends the old name, and from that moment each of those queries fails
    /// with "relation does not exist" or "column does not exist" — until the new code is fully
    /// deployed everywhere. Rolling deploys, background workers, reports and other services
    /// all break at once, and rolling back the code does not bring the old name back.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE customers RENAME COLUMN mail TO email;
    /// ```
    ///
    /// ## Fix
    /// ```sql
    /// -- expand: add the new name and keep both in step (trigger or application dual-writes)
    /// ALTER TABLE customers ADD COLUMN email text;
    /// UPDATE customers SET email = mail WHERE email IS DISTINCT FROM mail; -- in batches
    /// -- switch every reader and writer to email, then contract:
    /// ALTER TABLE customers DROP COLUMN mail;
    /// ```
    /// For a table, rename it and leave a view under the old name (a simple view is updatable)
    /// until no code uses it:
    /// ```sql
    /// ALTER TABLE customer RENAME TO customers;
    /// CREATE VIEW customer AS SELECT * FROM customers;
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
        let dialect = ctx.dialect();
        let mut existing = None;
        for op in &alter.operations {
            if !matches!(op, Op::RenameTable { .. } | Op::RenameColumn { .. }) {
                continue;
            }
            if existing.is_none() {
                match existing_table(ctx, &alter.name) {
                    Some(t) => existing = Some(t),
                    None => return,
                }
            }
            let Some(name) = &existing else { return };
            let shown = name.display(dialect);
            match op {
                Op::RenameTable { table_name } => {
                    let new = match table_name {
                        RenameTableNameKind::As(n) | RenameTableNameKind::To(n) => n,
                    };
                    let new =
                        QualName::new(name.schema.clone(), steward_sql::names::last(new, dialect));
                    let new_shown = new.display(dialect);
                    out.push(
                        RenameObject::META
                            .diag(format!(
                                "renaming existing table {shown} to {new_shown} breaks every running query that uses the old name"
                            ))
                            .at(Some(ctx.locate(op)))
                            .object(shown.clone())
                            .help("deployed code keeps sending the old name and fails until the new code runs everywhere; leave an updatable view under the old name until no code uses it, then drop the view")
                            .fix(format!(
                                "-- in one transaction:\nALTER TABLE {shown} RENAME TO {};\nCREATE VIEW {shown} AS SELECT * FROM {new_shown};",
                                quote_ident(&new.name)
                            )),
                    );
                }
                Op::RenameColumn {
                    old_column_name,
                    new_column_name,
                } => {
                    let old = ident(old_column_name, dialect);
                    if column_added_in_this_file(ctx, name, &old) {
                        continue;
                    }
                    let new = ident(new_column_name, dialect);
                    let object = name.column_display(&old, dialect);
                    let mut diag = RenameObject::META
                        .diag(format!(
                            "renaming column {object} to {} breaks every running query that uses the old name",
                            quote_ident(&new)
                        ))
                        .at(Some(ctx.locate(op)))
                        .object(object)
                        .help("deployed code keeps sending the old name and fails until the new code runs everywhere; expand and contract: add the new column, write both, backfill, switch readers, then drop the old one");
                    let data_type = table(ctx, name)
                        .and_then(|t| t.column(&old))
                        .and_then(|c| c.data_type.as_ref());
                    if let Some(data_type) = data_type {
                        let (o, n) = (quote_ident(&old), quote_ident(&new));
                        diag = diag.fix(format!(
                            "ALTER TABLE {shown} ADD COLUMN {n} {data_type};\n\
                             -- keep both columns in step (trigger or application dual-writes), then backfill in batches:\n\
                             UPDATE {shown} SET {n} = {o} WHERE {n} IS DISTINCT FROM {o};\n\
                             -- once every reader and writer uses {n}:\n\
                             ALTER TABLE {shown} DROP COLUMN {o};"
                        ));
                    }
                    out.push(diag);
                }
                _ => {}
            }
        }
    }
}
