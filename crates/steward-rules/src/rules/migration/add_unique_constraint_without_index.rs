use super::common::existing_table;
use crate::prelude::*;
use sqlparser::ast::{AlterTableOperation, Statement as S, TableConstraint};

declare_rule! {
    /// Finds UNIQUE and PRIMARY KEY constraints added to existing tables by building an index.
    ///
    /// ## What it does
    /// Reports `ALTER TABLE … ADD CONSTRAINT … UNIQUE (…)` or `PRIMARY KEY (…)` on a table
    /// that existed before this migration, when the constraint does not adopt an index built
    /// beforehand (`USING INDEX`).
    ///
    /// ## Why it matters
    /// The constraint builds its unique index while holding an ACCESS EXCLUSIVE lock: the table
    /// is unreadable and unwritable for the whole build. Building the index CONCURRENTLY first
    /// and then attaching it takes the strong lock only for a moment.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE account ADD CONSTRAINT account_email_key UNIQUE (email);
    /// ```
    ///
    /// ## Fix
    /// ```sql
    /// CREATE UNIQUE INDEX CONCURRENTLY account_email_key ON account (email);
    /// ALTER TABLE account ADD CONSTRAINT account_email_key UNIQUE USING INDEX account_email_key;
    /// ```
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
        let Some(table) = existing_table(ctx, &alter.name) else {
            return;
        };
        for op in &alter.operations {
            let AlterTableOperation::AddConstraint { constraint, .. } = op else {
                continue;
            };
            let (kind, name, columns) = match constraint {
                TableConstraint::Unique(u) => ("UNIQUE", u.name.as_ref(), &u.columns),
                TableConstraint::PrimaryKey(p) => ("PRIMARY KEY", p.name.as_ref(), &p.columns),
                _ => continue,
            };
            if columns.is_empty() {
                // `… USING INDEX name` adopts an existing index: nothing is built.
                continue;
            }
            let cols = columns
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(", ");
            let suffix = if kind == "UNIQUE" { "key" } else { "pkey" };
            let name = name
                .map(|n| n.value.clone())
                .unwrap_or_else(|| format!("{}_{suffix}", table.name));
            let index = quote_ident(&name);
            out.push(
                Self::META
                    .diag(format!(
                        "adding {kind} ({cols}) to existing table {table} builds its index under an ACCESS EXCLUSIVE lock"
                    ))
                    .at(Some(ctx.locate(constraint)))
                    .object(table.to_string())
                    .help("the table can be neither read nor written while the index builds; build a unique index CONCURRENTLY first, then attach it with USING INDEX")
                    .fix(format!(
                        "CREATE UNIQUE INDEX CONCURRENTLY {index} ON {table} ({cols});\nALTER TABLE {table} ADD CONSTRAINT {index} {kind} USING INDEX {index};"
                    )),
            );
        }
    }
}
