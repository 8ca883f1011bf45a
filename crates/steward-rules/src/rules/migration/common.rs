//! What migration rules share: which statements lock which existing tables.

use crate::context::StatementCtx;
use crate::util::resolve_table;
use sqlparser::ast::{ObjectName, ObjectType, Statement as S};
use steward_core::model::QualName;
use steward_core::statement::Statement;

/// The table an `ALTER TABLE` targets, when it existed (with data) before this migration.
pub fn existing_table(ctx: &StatementCtx, name: &ObjectName) -> Option<QualName> {
    let table = resolve_table(ctx.before, name);
    // `ALTER TABLE` also names sequences and views (pg_dump's `ALTER TABLE seq OWNER TO`).
    let key = ctx.after_all.key(&table);
    let not_a_table = ctx.after_all.table(&table).is_none()
        && (ctx.after_all.sequences.contains_key(&key) || ctx.after_all.view(&table).is_some());
    (!not_a_table && ctx.table_preexists(&table)).then_some(table)
}

/// The existing table whose index `name` is, for `DROP INDEX`. An index the input does not
/// create belongs to a table that exists already.
pub fn index_table(ctx: &StatementCtx, name: &ObjectName) -> Option<Option<QualName>> {
    let qualified = steward_sql::names::Resolver::new(ctx.dialect()).qualify(name);
    match ctx.before.index_position(&qualified) {
        Some(i) => {
            let table = ctx.before.indexes[i].table.clone();
            ctx.table_preexists(&table).then_some(Some(table))
        }
        None => Some(None),
    }
}

/// Whether a statement takes a lock that blocks reads or writes of an existing table for as
/// long as it runs or waits (ACCESS EXCLUSIVE or SHARE): what `lock_timeout` should bound.
pub fn takes_blocking_lock(ctx: &StatementCtx, statement: &Statement) -> bool {
    match statement.ast() {
        Some(S::AlterTable(alter)) => existing_table(ctx, &alter.name).is_some(),
        Some(S::CreateIndex(create)) => {
            !create.concurrently && existing_table(ctx, &create.table_name).is_some()
        }
        Some(S::Drop {
            object_type: ObjectType::Index,
            names,
            ..
        }) => {
            !statement.removed("CONCURRENTLY")
                && names.iter().any(|n| index_table(ctx, n).is_some())
        }
        Some(S::Drop {
            object_type: ObjectType::Table,
            names,
            ..
        }) => names.iter().any(|n| existing_table(ctx, n).is_some()),
        _ => false,
    }
}
