use super::common::existing_table;
use crate::prelude::*;
use sqlparser::ast::{AlterColumnOperation, AlterTableOperation, Statement as S};
use steward_core::model::{ColumnType, TypeFamily};

declare_rule! {
    /// Finds column type changes that rewrite existing tables.
    ///
    /// ## What it does
    /// Reports `ALTER TABLE … ALTER COLUMN … TYPE` on a table that existed before this
    /// migration, unless the change is one PostgreSQL makes without a rewrite: `varchar(n)` to
    /// a longer `varchar` or to `text`, `numeric(p,s)` to a larger precision with the same
    /// scale or to unconstrained `numeric`, `varbit(n)` to a longer one, `cidr` to `inet`.
    ///
    /// ## Why it matters
    /// A type change rewrites the table and rebuilds every index on it while holding an ACCESS
    /// EXCLUSIVE lock: nothing reads or writes the table until it is done, which for a large
    /// table is minutes to hours. Application code that reads the column may also break on the
    /// new type.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders ALTER COLUMN id TYPE bigint;
    /// ```
    ///
    /// ## Fix
    /// Expand and contract: add a new column, backfill it in batches, switch reads and writes,
    /// then drop the old one:
    /// ```sql
    /// ALTER TABLE orders ADD COLUMN id_new bigint;
    /// -- backfill in batches: UPDATE orders SET id_new = id WHERE id BETWEEN … AND …;
    /// -- then swap names in one short transaction and drop the old column
    /// ```
    pub struct ChangingColumnType {
        id: "changing-column-type",
        category: Migration,
        severity: Warning,
        dialects: [Postgres],
        scope: Statement,
    }
}

impl Rule for ChangingColumnType {
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
                op: AlterColumnOperation::SetDataType { data_type, .. },
            } = op
            else {
                continue;
            };
            let new = ColumnType::parse(&data_type.to_string());
            let old = ctx
                .before
                .table(&table)
                .and_then(|t| t.column(&column_name.value))
                .and_then(|c| c.data_type.clone());
            if old.as_ref().is_some_and(|old| no_rewrite(old, &new)) {
                continue;
            }
            let from = old.map(|o| format!(" from `{o}`")).unwrap_or_default();
            let col = quote_ident(&column_name.value);
            let tmp = quote_ident(&format!("{}_new", column_name.value));
            out.push(
                Self::META
                    .diag(format!(
                        "changing {}{from} to `{new}` rewrites the table and its indexes under an ACCESS EXCLUSIVE lock",
                        table.column(&column_name.value)
                    ))
                    .at(Some(ctx.locate(op)))
                    .object(table.column(&column_name.value))
                    .help("nothing can read or write the table until the rewrite finishes; add a new column, backfill it in batches, switch the application, then drop the old one")
                    .fix(format!(
                        "ALTER TABLE {table} ADD COLUMN {tmp} {new};\n-- backfill in batches: UPDATE {table} SET {tmp} = {col} WHERE … ;\n-- then, in one short transaction: rename {col} away, rename {tmp} to {col}, drop the old column"
                    )),
            );
        }
    }
}

/// Whether PostgreSQL changes `old` to `new` without rewriting the table.
fn no_rewrite(old: &ColumnType, new: &ColumnType) -> bool {
    if old.is_array() != new.is_array() {
        return false;
    }
    let (ob, nb) = (old.base.as_str(), new.base.as_str());
    let length = |t: &ColumnType| -> Option<Vec<i64>> {
        t.modifiers
            .as_deref()
            .map(|m| m.split(',').filter_map(|x| x.trim().parse().ok()).collect())
    };
    match (old.family, new.family) {
        (TypeFamily::Text, TypeFamily::Text) => {
            let varying = |b: &str| b.contains("varying") || b == "varchar" || b == "text";
            if nb == "text" && varying(ob) {
                return true;
            }
            varying(ob)
                && varying(nb)
                && nb != "text"
                && match (length(old), length(new)) {
                    (Some(o), Some(n)) => n.first() >= o.first(),
                    (_, None) => true,
                    (None, Some(_)) => false,
                }
        }
        (TypeFamily::Numeric, TypeFamily::Numeric) => match (length(old), length(new)) {
            (_, None) => true,
            (Some(o), Some(n)) => {
                n.first() >= o.first()
                    && o.get(1).copied().unwrap_or(0) == n.get(1).copied().unwrap_or(0)
            }
            (None, Some(_)) => false,
        },
        (TypeFamily::Network, TypeFamily::Network) => ob == nb || (ob == "cidr" && nb == "inet"),
        _ => old.to_string() == new.to_string(),
    }
}
