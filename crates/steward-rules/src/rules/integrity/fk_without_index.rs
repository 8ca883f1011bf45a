use crate::prelude::*;
use steward_core::model::{Index, Table, TableKind};

declare_rule! {
    /// Finds foreign keys whose columns are not the leading columns of any index.
    ///
    /// ## What it does
    /// Checks every foreign key for a valid, non-partial b-tree (or single-column hash) index
    /// whose leading columns are exactly the foreign key's columns, in any order.
    ///
    /// ## Why it matters
    /// PostgreSQL indexes the referenced side of a foreign key (it must be unique) but not the
    /// referencing side. Without that index every `DELETE` or key `UPDATE` on the parent scans
    /// the whole child table while holding locks, joins from parent to children fall back to
    /// sequential scans, and `ON DELETE CASCADE` on a big child table can stall writes for
    /// minutes. The cost grows with the child table, so it appears in production, not in tests.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customer);
    /// ```
    ///
    /// ## Fix
    /// ```sql
    /// CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);
    /// ```
    /// A partial index (`WHERE …`) does not count: the foreign key check must find every row.
    pub struct FkWithoutIndex {
        id: "fk-without-index",
        category: Integrity,
        severity: Warning,
        dialects: [Postgres, Tsql],
        scope: Schema,
    }
}

impl Rule for FkWithoutIndex {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_schema(&self, ctx: &ModelCtx, out: &mut Vec<Diagnostic>) {
        let model = ctx.model;
        let by_table = model.indexes_by_table();
        for table in model.tables.values() {
            if table.kind == TableKind::Foreign {
                continue;
            }
            let indexes: &[&Index] = by_table
                .get(&model.key(&table.name))
                .map_or(&[], Vec::as_slice);
            for (constraint, fk) in table.foreign_keys() {
                if fk.columns.is_empty() || indexes.iter().any(|i| covers(i, &fk.columns)) {
                    continue;
                }
                out.push(finding(table, constraint, fk, model.dialect));
            }
        }
    }
}

/// Whether an index can serve lookups by exactly these columns.
pub(crate) fn covers(index: &Index, columns: &[String]) -> bool {
    if !index.valid || index.predicate.is_some() {
        return false;
    }
    let usable = index.is_btree() || (index.method == "hash" && columns.len() == 1);
    if !usable || index.keys.len() < columns.len() {
        return false;
    }
    let leading = index.leading_columns();
    leading.len() >= columns.len()
        && columns.iter().all(|c| {
            leading[..columns.len()]
                .iter()
                .any(|l| l.eq_ignore_ascii_case(c))
        })
}

fn finding(
    table: &Table,
    constraint: &steward_core::model::Constraint,
    fk: &steward_core::model::ForeignKey,
    dialect: Dialect,
) -> Diagnostic {
    let cols = fk.columns.join(", ");
    let index_name = format!("{}_{}_idx", table.name.name, fk.columns.join("_"));
    let concurrently = if table.kind == TableKind::Partitioned || dialect == Dialect::Tsql {
        ""
    } else {
        "CONCURRENTLY "
    };
    let fix = match dialect {
        Dialect::Postgres => format!(
            "CREATE INDEX {concurrently}{} ON {} ({});",
            quote_ident(&index_name),
            table.name,
            column_list(&fk.columns)
        ),
        Dialect::Tsql => format!(
            "CREATE INDEX [{index_name}] ON [{}].[{}] ({});",
            table.name.schema,
            table.name.name,
            fk.columns
                .iter()
                .map(|c| format!("[{c}]"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut why = String::from(
        "deleting or re-keying a parent row scans the whole child table under lock, and joins from the parent cannot use an index",
    );
    if let Some(stats) = &table.stats {
        why = format!(
            "{why}; this table has ~{} rows ({} MB) and has been read by {} sequential scans",
            stats.estimated_rows.max(0.0).round(),
            stats.total_bytes / (1024 * 1024),
            stats.seq_scan
        );
    }
    FkWithoutIndex::META
        .diag(format!(
            "foreign key {} ({cols}) → {} has no index on its columns",
            table.name.display(dialect),
            fk.ref_table.display(dialect)
        ))
        .at(constraint.origin.location().cloned())
        .object(match fk.columns.as_slice() {
            [single] => table.name.column_display(single, dialect),
            _ => format!("{}({cols})", table.name.display(dialect)),
        })
        .help(why)
        .fix(fix)
}
