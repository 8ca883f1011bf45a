use super::common::existing_table;
use crate::prelude::*;
use sqlparser::ast::{AlterTableOperation, ColumnOption, Expr, Statement as S};

declare_rule! {
    /// Finds columns added to existing tables with a default that forces a table rewrite.
    ///
    /// ## What it does
    /// Reports `ALTER TABLE … ADD COLUMN` on a table that existed before this migration when
    /// the new column has a volatile default (`random()`, `clock_timestamp()`,
    /// `gen_random_uuid()`, `uuid_generate_v4()`, `nextval(…)`, `timeofday()`), is `serial` /
    /// `bigserial`, an identity column, or a stored generated column. Constant and STABLE
    /// defaults such as `now()` or `'pending'` are free since PostgreSQL 11 and not reported.
    ///
    /// ## Why it matters
    /// Each existing row needs its own value, so PostgreSQL rewrites the whole table under an
    /// ACCESS EXCLUSIVE lock: no reads or writes until every row has been copied — minutes to
    /// hours on a large table, and twice the disk space meanwhile.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid();
    /// ```
    ///
    /// ## Fix
    /// Add the column without a default, set the default for new rows, backfill in batches:
    /// ```sql
    /// ALTER TABLE orders ADD COLUMN public_id uuid;
    /// ALTER TABLE orders ALTER COLUMN public_id SET DEFAULT gen_random_uuid();
    /// -- backfill in batches: UPDATE orders SET public_id = gen_random_uuid() WHERE public_id IS NULL AND id BETWEEN … AND …;
    /// ```
    pub struct VolatileDefaultOnExistingTable {
        id: "volatile-default-on-existing-table",
        category: Migration,
        severity: Warning,
        dialects: [Postgres],
        scope: Statement,
    }
}

const VOLATILE: &[&str] = &[
    "random",
    "clock_timestamp",
    "gen_random_uuid",
    "uuid_generate_v1",
    "uuid_generate_v1mc",
    "uuid_generate_v4",
    "nextval",
    "timeofday",
    "uuidv7",
    "gen_random_bytes",
];

impl Rule for VolatileDefaultOnExistingTable {
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
            let AlterTableOperation::AddColumn { column_def, .. } = op else {
                continue;
            };
            let ty = column_def.data_type.to_string().to_lowercase();
            let mut default = None;
            let mut reason = None;
            if matches!(
                ty.as_str(),
                "serial" | "bigserial" | "smallserial" | "serial4" | "serial8" | "serial2"
            ) {
                reason = Some(format!(
                    "a {ty} column gives every existing row a new sequence value"
                ));
            }
            for option in &column_def.options {
                match &option.option {
                    ColumnOption::Default(expr) => {
                        default = Some(expr);
                        if let Some(f) = volatile_call(expr) {
                            reason = Some(format!(
                                "the volatile default {f}() is computed for every existing row"
                            ));
                        }
                    }
                    ColumnOption::Identity(_) => {
                        reason =
                            Some("an identity column gives every existing row a new value".into());
                    }
                    ColumnOption::Generated {
                        generation_expr: Some(_),
                        ..
                    } => {
                        reason = Some(
                            "a stored generated column is computed for every existing row".into(),
                        );
                    }
                    _ => {}
                }
            }
            let Some(reason) = reason else { continue };
            let col = quote_ident(&column_def.name.value);
            let fix = default.map(|d| {
                format!(
                    "ALTER TABLE {table} ADD COLUMN {col} {};\nALTER TABLE {table} ALTER COLUMN {col} SET DEFAULT {d};\n-- backfill in batches: UPDATE {table} SET {col} = {d} WHERE {col} IS NULL AND … ;",
                    column_def.data_type
                )
            });
            out.push(
                Self::META
                    .diag(format!(
                        "adding {} rewrites the whole table under an ACCESS EXCLUSIVE lock: {reason}",
                        table.column(&column_def.name.value)
                    ))
                    .at(Some(ctx.statement.locate(column_def.name.span)))
                    .object(table.column(&column_def.name.value))
                    .help("no reads or writes until every row is copied; add the column without the default, set the default for new rows, and backfill existing rows in batches")
                    .fix_opt(fix),
            );
        }
    }
}

fn volatile_call(expr: &Expr) -> Option<String> {
    let mut found = None;
    for_each_expr(expr, |e| {
        if let Expr::Function(f) = e {
            let name = function_name(f);
            if found.is_none() && VOLATILE.contains(&name.as_str()) {
                found = Some(name);
            }
        }
    });
    found
}
