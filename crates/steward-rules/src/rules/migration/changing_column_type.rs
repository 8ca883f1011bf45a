use super::common::{existing_table, generated_name, ident, table};
use crate::prelude::*;
use sqlparser::ast::{AlterColumnOperation, AlterTableOperation as Op, Statement as S};
use steward_core::model::{ColumnType, TypeFamily};

declare_rule! {
    /// Finds `ALTER COLUMN … TYPE` that rewrites a table that already exists.
    ///
    /// ## What it does
    /// Reports a column type change on a table that already exists when the migration runs
    /// (not created earlier in the same file). Changes PostgreSQL makes without touching the
    /// rows are not reported: `varchar(n)` to a longer `varchar`, to unbounded `varchar` or to
    /// `text`, and `numeric(p,s)` to a larger precision with the same scale or to unbounded
    /// `numeric`. When the old type is unknown (the table is not created by the files), only
    /// changes to a non-text, non-numeric type are reported.
    ///
    /// ## Why it matters
    /// Any other type change rewrites the whole table and rebuilds every index on it while
    /// holding an ACCESS EXCLUSIVE lock: no reads, no writes, for as long as the copy takes —
    /// often tens of minutes on a large table (the classic `integer` to `bigint` widening), and
    /// twice the table's disk space meanwhile.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders ALTER COLUMN id TYPE bigint;
    /// ```
    ///
    /// ## Fix
    /// ```sql
    /// ALTER TABLE orders ADD COLUMN id_new bigint;
    /// -- keep new writes in step (trigger or application), then backfill in batches:
    /// UPDATE orders SET id_new = id WHERE id BETWEEN 1 AND 10000 AND id_new IS NULL;
    /// -- then, in one short transaction:
    /// ALTER TABLE orders RENAME COLUMN id TO id_old;
    /// ALTER TABLE orders RENAME COLUMN id_new TO id;
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
        let dialect = ctx.dialect();
        let mut existing = None;
        for op in &alter.operations {
            let Op::AlterColumn {
                column_name,
                op:
                    AlterColumnOperation::SetDataType {
                        data_type, using, ..
                    },
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
            let new_type = ColumnType::parse(&data_type.to_string());
            let old_type = table(ctx, name)
                .and_then(|t| t.column(&column))
                .and_then(|c| c.data_type.as_ref());
            match old_type {
                Some(old) if !rewrites(old, &new_type) => continue,
                None if matches!(new_type.family, TypeFamily::Text | TypeFamily::Numeric) => {
                    continue
                }
                _ => {}
            }
            let shown = name.display(dialect);
            let object = name.column_display(&column, dialect);
            let from = old_type.map(|t| format!(" from {t}")).unwrap_or_default();
            let col = quote_ident(&column);
            let new_col = quote_ident(&generated_name(&[&column], "new"));
            let old_col = quote_ident(&generated_name(&[&column], "old"));
            let value = using
                .as_ref()
                .map(|e| e.to_string())
                .unwrap_or_else(|| col.clone());
            out.push(
                ChangingColumnType::META
                    .diag(format!(
                        "changing {object}{from} to {new_type} rewrites existing table {shown} and its indexes under an ACCESS EXCLUSIVE lock"
                    ))
                    .at(Some(ctx.locate(op)))
                    .object(object)
                    .help("no query can read or write the table until the copy and every index rebuild finish; add a new column, backfill it in batches, then swap the names in one short transaction")
                    .fix(format!(
                        "ALTER TABLE {shown} ADD COLUMN {new_col} {data_type};\n\
                         -- keep new writes in step (trigger or application), then backfill in batches (add a key range):\n\
                         UPDATE {shown} SET {new_col} = {value} WHERE {new_col} IS NULL AND {col} IS NOT NULL;\n\
                         -- then, in one short transaction:\n\
                         ALTER TABLE {shown} RENAME COLUMN {col} TO {old_col};\n\
                         ALTER TABLE {shown} RENAME COLUMN {new_col} TO {col};"
                    )),
            );
        }
    }
}

/// Whether changing `old` to `new` rewrites the table (PostgreSQL keeps the rows as they are
/// for binary-compatible changes that only relax a limit).
fn rewrites(old: &ColumnType, new: &ColumnType) -> bool {
    if old == new {
        return false;
    }
    if old.array_dims != new.array_dims {
        return true;
    }
    let varchar = "character varying";
    match (old.base.as_str(), new.base.as_str()) {
        // varchar(n) / text → text: same representation, no limit to check.
        (b, "text") if b == varchar || b == "text" => false,
        (b, nb) if nb == varchar && (b == varchar || b == "text") => {
            match (&old.modifiers, &new.modifiers) {
                (_, None) => false,
                (Some(o), Some(n)) if b == varchar => {
                    !matches!((o.parse::<u64>(), n.parse::<u64>()), (Ok(o), Ok(n)) if n >= o)
                }
                _ => true,
            }
        }
        ("numeric", "numeric") => match (&old.modifiers, &new.modifiers) {
            (_, None) => false,
            (Some(o), Some(n)) => match (precision_scale(o), precision_scale(n)) {
                (Some((op, os)), Some((np, ns))) => !(ns == os && np >= op),
                _ => true,
            },
            (None, Some(_)) => true,
        },
        _ => true,
    }
}

/// `p` or `p,s` of a numeric type.
fn precision_scale(modifiers: &str) -> Option<(u32, u32)> {
    let mut parts = modifiers.split(',').map(|p| p.trim().parse::<u32>());
    let precision = parts.next()?.ok()?;
    let scale = match parts.next() {
        Some(s) => s.ok()?,
        None => 0,
    };
    Some((precision, scale))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rw(old: &str, new: &str) -> bool {
        rewrites(&ColumnType::parse(old), &ColumnType::parse(new))
    }

    #[test]
    fn binary_compatible_changes_do_not_rewrite() {
        assert!(!rw("varchar(10)", "varchar(20)"));
        assert!(!rw("character varying(10)", "text"));
        assert!(!rw("varchar(10)", "varchar"));
        assert!(!rw("text", "varchar"));
        assert!(!rw("numeric(10,2)", "numeric(12,2)"));
        assert!(!rw("numeric(10,2)", "numeric"));
        assert!(!rw("integer", "int4"));
    }

    #[test]
    fn other_changes_rewrite() {
        assert!(rw("integer", "bigint"));
        assert!(rw("varchar(20)", "varchar(10)"));
        assert!(rw("text", "varchar(10)"));
        assert!(rw("numeric(10,2)", "numeric(12,3)"));
        assert!(rw("numeric(10,2)", "numeric(8,2)"));
        assert!(rw("numeric", "numeric(10,2)"));
        assert!(rw("char(10)", "char(20)"));
        assert!(rw("timestamp", "timestamptz"));
        assert!(rw("text", "text[]"));
    }
}
