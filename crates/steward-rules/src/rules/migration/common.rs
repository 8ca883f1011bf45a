//! Helpers shared by the migration rules.

use crate::prelude::*;
use sqlparser::ast::{Ident, ObjectName};
use steward_core::model::{Table, TableKind};

/// The table `name` resolves to, when it already exists (with rows) as the statement runs:
/// created by an earlier file of the run, or not created by the run at all.
pub(crate) fn existing_table(ctx: &StatementCtx, name: &ObjectName) -> Option<QualName> {
    let table = resolve_table(ctx.before, name);
    // A view or sequence of that name is not a table with rows to scan or rewrite.
    let other_relation = ctx.before.table(&table).is_none() && ctx.before.has_relation(&table);
    (!other_relation && ctx.table_preexists(&table)).then_some(table)
}

/// The model's table, if it knows it (it may not: tables the run does not create).
pub(crate) fn table<'a>(ctx: &'a StatementCtx, name: &QualName) -> Option<&'a Table> {
    ctx.before.table(name)
}

/// Whether the table is a partitioned parent (no CONCURRENTLY index operations there).
pub(crate) fn is_partitioned(ctx: &StatementCtx, name: &QualName) -> bool {
    table(ctx, name).is_some_and(|t| t.kind == TableKind::Partitioned)
}

/// A column name as the model stores it.
pub(crate) fn ident(id: &Ident, dialect: Dialect) -> String {
    steward_sql::names::ident(id, dialect)
}

/// A PostgreSQL identifier made of parts, cut to the 63 bytes PostgreSQL keeps.
pub(crate) fn generated_name(parts: &[&str], suffix: &str) -> String {
    let mut base = parts.join("_");
    let max = 63usize.saturating_sub(suffix.len() + 1);
    while base.len() > max {
        base.pop();
    }
    format!("{base}_{suffix}")
}

/// The statement's table as written in SQL (for fixes).
pub(crate) fn table_sql(table: &QualName, dialect: Dialect) -> String {
    table.display(dialect)
}

/// An index by its (PostgreSQL, schema-qualified) name, compared without allocating: a
/// `pg_dump --clean` file drops every index it creates.
pub(crate) fn find_index<'a>(
    model: &'a steward_core::model::Model,
    name: &QualName,
) -> Option<&'a steward_core::model::Index> {
    model
        .indexes
        .iter()
        .find(|i| i.name.name == name.name && i.name.schema == name.schema)
}

/// Whether a column was added by an earlier statement of the same file (so no running code
/// reads it yet).
pub(crate) fn column_added_in_this_file(
    ctx: &StatementCtx,
    table: &QualName,
    column: &str,
) -> bool {
    ctx.before
        .table(table)
        .and_then(|t| t.column(column))
        .and_then(|c| c.origin.file_index())
        .is_some_and(|file| file == ctx.statement.file_index)
}
