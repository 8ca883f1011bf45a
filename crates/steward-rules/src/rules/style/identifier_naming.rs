use super::naming::{is_snake_case, snake_case};
use crate::prelude::*;
use steward_core::model::{Table, TableKind};

declare_rule! {
    /// Finds PostgreSQL tables and columns whose names are not snake_case.
    ///
    /// ## What it does
    /// Reports tables, and once per table the columns, whose names contain upper case letters
    /// or other characters that force quoting (`"CustomerId"`, `"Order Date"`). PostgreSQL
    /// only: SQL Server compares names case-insensitively and PascalCase is its convention.
    ///
    /// ## Why it matters
    /// PostgreSQL folds unquoted names to lower case, so a table created as `"Customer"` must
    /// be written `"Customer"` — with quotes — in every query, view, migration, psql session
    /// and ORM mapping, forever. `SELECT CustomerId FROM Customer` fails with
    /// `relation "customer" does not exist`; people lose time on it daily, and generated SQL
    /// that forgets a quote breaks at run time, not at review.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE "Customer" ("CustomerId" integer PRIMARY KEY, "FirstName" text);
    /// ```
    ///
    /// ## Fix
    /// ```sql
    /// ALTER TABLE "Customer" RENAME TO customer;
    /// ALTER TABLE customer RENAME COLUMN "CustomerId" TO customer_id;
    /// ALTER TABLE customer RENAME COLUMN "FirstName" TO first_name;
    /// ```
    /// Renaming breaks the queries that use the old names: do it with the application change.
    pub struct IdentifierNaming {
        id: "identifier-naming",
        category: Style,
        severity: Info,
        dialects: [Postgres],
        scope: Schema,
    }
}

impl Rule for IdentifierNaming {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_schema(&self, ctx: &ModelCtx, out: &mut Vec<Diagnostic>) {
        for table in ctx.model.tables.values() {
            if table.partition_of.is_some() || table.kind == TableKind::Foreign {
                continue;
            }
            let mut current = table.name.clone();
            if !is_snake_case(&table.name.name) {
                let renamed = snake_case(&table.name.name).filter(|s| is_snake_case(s));
                let mut d = IdentifierNaming::META
                    .diag(format!(
                        "table {} is not snake_case: every query must quote it",
                        table.name
                    ))
                    .at(table.origin.location().cloned())
                    .object(table.name.to_string())
                    .help(
                        "PostgreSQL folds unquoted names to lower case, so this name must be double-quoted everywhere it is used; rename it to lower-case snake_case",
                    );
                if let Some(new) = renamed {
                    d = d.fix(format!(
                        "ALTER TABLE {} RENAME TO {};",
                        table.name,
                        quote_ident(&new)
                    ));
                    current = QualName::new(table.name.schema.clone(), new);
                }
                out.push(d);
            }
            columns(table, &current, out);
        }
    }
}

fn columns(table: &Table, current: &QualName, out: &mut Vec<Diagnostic>) {
    let bad: Vec<_> = table
        .columns
        .iter()
        .filter(|c| !is_snake_case(&c.name))
        .collect();
    let Some(first) = bad.first() else { return };
    let names: Vec<String> = bad.iter().map(|c| quote_ident(&c.name)).collect();
    let shown = if names.len() > 5 {
        format!("{}, … ({} in all)", names[..5].join(", "), names.len())
    } else {
        names.join(", ")
    };
    let taken: std::collections::HashSet<&str> =
        table.columns.iter().map(|c| c.name.as_str()).collect();
    let fix: Vec<String> = bad
        .iter()
        .filter_map(|c| {
            let new = snake_case(&c.name).filter(|s| is_snake_case(s))?;
            (!taken.contains(new.as_str())).then(|| {
                format!(
                    "ALTER TABLE {current} RENAME COLUMN {} TO {};",
                    quote_ident(&c.name),
                    quote_ident(&new)
                )
            })
        })
        .collect();
    let mut d = IdentifierNaming::META
        .diag(format!(
            "{} has {}: {shown}",
            table.name,
            plural(bad.len(), "column that is not snake_case", "columns that are not snake_case")
        ))
        .at(first.origin.location().cloned())
        .object(table.name.column(&first.name))
        .help(
            "PostgreSQL folds unquoted names to lower case, so these columns must be double-quoted in every query; rename them to lower-case snake_case",
        );
    if !fix.is_empty() {
        d = d.fix(fix.join("\n"));
    }
    out.push(d);
}
