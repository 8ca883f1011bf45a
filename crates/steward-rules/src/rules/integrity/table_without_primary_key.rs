use crate::prelude::*;
use steward_core::model::{ConstraintKind, Table, TableKind};

declare_rule! {
    /// Finds tables without a primary key.
    ///
    /// ## What it does
    /// Reports ordinary tables that have no PRIMARY KEY. Partitions and inheritance children
    /// (their parent carries the key), foreign and temporary tables are skipped. When the table
    /// already has a UNIQUE constraint on NOT NULL columns, the finding says so: that key only
    /// needs promoting.
    ///
    /// ## Why it matters
    /// Without a key, duplicate rows creep in and cannot be told apart, so a single row cannot be
    /// updated or deleted reliably; logical replication cannot replicate UPDATE and DELETE
    /// (they fail until a replica identity is set), and ORMs, CDC tools and admin UIs refuse to
    /// edit the table.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE event_log (occurred_at timestamptz NOT NULL, message text);
    /// ```
    ///
    /// ## Fix
    /// ```sql
    /// ALTER TABLE event_log ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;
    /// ```
    pub struct TableWithoutPrimaryKey {
        id: "table-without-primary-key",
        category: Integrity,
        severity: Warning,
        dialects: [Postgres, Tsql],
        scope: Schema,
    }
}

impl Rule for TableWithoutPrimaryKey {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_schema(&self, ctx: &ModelCtx, out: &mut Vec<Diagnostic>) {
        let dialect = ctx.model.dialect;
        for table in ctx.model.tables.values() {
            let skipped = matches!(table.kind, TableKind::Foreign | TableKind::Temporary)
                || table.partition_of.is_some()
                || !table.columns_known;
            if skipped || table.primary_key().is_some() {
                continue;
            }
            let name = table.name.display(dialect);
            let (message, fix) = match unique_not_null_key(table) {
                Some(cols) => (
                    format!(
                        "table {name} has no primary key, only UNIQUE ({}) on NOT NULL columns",
                        cols.join(", ")
                    ),
                    format!("ALTER TABLE {name} ADD PRIMARY KEY ({});", idents(&cols, dialect)),
                ),
                None => (
                    format!("table {name} has no primary key"),
                    match dialect {
                        Dialect::Postgres => format!(
                            "ALTER TABLE {name} ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;"
                        ),
                        Dialect::Tsql => format!(
                            "ALTER TABLE {name} ADD [Id] bigint IDENTITY(1,1) NOT NULL CONSTRAINT [PK_{}] PRIMARY KEY;",
                            table.name.name
                        ),
                    },
                ),
            };
            out.push(
                Self::META
                    .diag(message)
                    .at(table.origin.location().cloned())
                    .object(name)
                    .help("duplicate rows cannot be told apart or removed one at a time, logical replication rejects UPDATE/DELETE, and ORMs and CDC tools need a key; add a primary key (a natural key, or an identity column)")
                    .fix(fix),
            );
        }
    }
}

/// The columns of a UNIQUE constraint whose columns are all NOT NULL.
fn unique_not_null_key(table: &Table) -> Option<Vec<String>> {
    table.constraints.iter().find_map(|c| {
        let ConstraintKind::Unique { .. } = c.kind else {
            return None;
        };
        let all_not_null = !c.columns.is_empty()
            && c.columns
                .iter()
                .all(|col| table.column(col).is_some_and(|col| col.not_null));
        all_not_null.then(|| c.columns.clone())
    })
}
