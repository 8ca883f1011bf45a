use super::common::{existing_table, generated_name, is_partitioned};
use crate::prelude::*;
use sqlparser::ast::{
    AlterTableOperation as Op, IndexColumn, NullsDistinctOption, Statement as S, TableConstraint,
};

declare_rule! {
    /// Finds `UNIQUE` and `PRIMARY KEY` constraints added to existing tables without a prebuilt index.
    ///
    /// ## What it does
    /// Reports `ALTER TABLE … ADD CONSTRAINT … UNIQUE (…)` or `PRIMARY KEY (…)` on a table that
    /// already exists when the migration runs (not created earlier in the same file). Adding
    /// the constraint `USING INDEX` an index built beforehand is not reported.
    ///
    /// ## Why it matters
    /// The constraint builds its unique index while holding an ACCESS EXCLUSIVE lock: no reads
    /// and no writes on the table until the whole index is built — minutes to hours on a large
    /// table. `CREATE UNIQUE INDEX CONCURRENTLY` builds the same index while the application
    /// keeps working, and attaching it as the constraint then takes a moment.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);
    /// ```
    ///
    /// ## Fix
    /// ```sql
    /// CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);
    /// ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;
    /// ```
    /// `CONCURRENTLY` cannot run inside a transaction block. A `PRIMARY KEY … USING INDEX` also
    /// needs its columns `NOT NULL` (see `set-not-null-on-existing-column`).
    pub struct AddUniqueConstraintWithoutIndex {
        id: "add-unique-constraint-without-index",
        category: Migration,
        severity: Warning,
        dialects: [Postgres],
        scope: Statement,
    }
}

impl Rule for AddUniqueConstraintWithoutIndex {
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
            let Op::AddConstraint { constraint, .. } = op else {
                continue;
            };
            let (kind, using_kind, suffix, name, columns, include, nulls_not_distinct) =
                match constraint {
                    TableConstraint::Unique(u) => (
                        "UNIQUE",
                        "UNIQUE",
                        "key",
                        u.name.as_ref(),
                        &u.columns,
                        &u.include,
                        u.nulls_distinct == NullsDistinctOption::NotDistinct,
                    ),
                    TableConstraint::PrimaryKey(p) => (
                        "PRIMARY KEY",
                        "PRIMARY KEY",
                        "pkey",
                        p.name.as_ref(),
                        &p.columns,
                        &p.include,
                        false,
                    ),
                    _ => continue,
                };
            if existing.is_none() {
                match existing_table(ctx, &alter.name) {
                    Some(t) => existing = Some(t),
                    None => return,
                }
            }
            let Some(table) = &existing else { return };
            // Partitioned parents cannot build indexes concurrently.
            if is_partitioned(ctx, table) {
                return;
            }
            let shown = table.display(dialect);
            let index_name = match name {
                Some(n) => steward_sql::names::ident(n, dialect),
                None => {
                    let mut parts: Vec<String> = vec![table.name.clone()];
                    // PostgreSQL: table_pkey, or table_col1_col2_key.
                    if suffix == "key" {
                        parts.extend(columns.iter().map(column_part));
                    }
                    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
                    generated_name(&parts, suffix)
                }
            };
            let index = quote_ident(&index_name);
            let keys = columns
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(", ");
            let include = if include.is_empty() {
                String::new()
            } else {
                format!(
                    " INCLUDE ({})",
                    include
                        .iter()
                        .map(|c| c.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            let nulls = if nulls_not_distinct {
                " NULLS NOT DISTINCT"
            } else {
                ""
            };
            out.push(
                AddUniqueConstraintWithoutIndex::META
                    .diag(format!(
                        "ADD {kind} on existing table {shown} builds its index under an ACCESS EXCLUSIVE lock"
                    ))
                    .at(Some(ctx.locate(constraint)))
                    .object(format!("{shown}.{index}"))
                    .help("no query can read or write the table until the index is built; build it with CREATE UNIQUE INDEX CONCURRENTLY (outside a transaction block), then add the constraint USING INDEX, which takes a moment")
                    .fix(format!(
                        "CREATE UNIQUE INDEX CONCURRENTLY {index} ON {shown} ({keys}){include}{nulls};\n\
                         ALTER TABLE {shown} ADD CONSTRAINT {index} {using_kind} USING INDEX {index};"
                    )),
            );
        }
    }
}

/// A column's part of a generated constraint name.
fn column_part(c: &IndexColumn) -> String {
    c.column
        .expr
        .to_string()
        .trim_matches('"')
        .chars()
        .map(|ch| if ch.is_alphanumeric() { ch } else { '_' })
        .collect()
}
