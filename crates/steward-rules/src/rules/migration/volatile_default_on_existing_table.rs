use super::common::{existing_table, ident};
use crate::prelude::*;
use sqlparser::ast::{AlterTableOperation as Op, ColumnOption, Expr, Statement as S};
use steward_core::model::Volatility;

/// Built-in functions that are VOLATILE (a fresh value per row), common in defaults.
const VOLATILE: &[&str] = &[
    "random",
    "clock_timestamp",
    "timeofday",
    "gen_random_uuid",
    "uuid_generate_v1",
    "uuid_generate_v1mc",
    "uuid_generate_v4",
    "uuidv4",
    "uuidv7",
    "nextval",
];

/// `serial` spellings: a sequence default, evaluated per row.
const SERIAL: &[(&str, &str)] = &[
    ("smallserial", "smallint"),
    ("serial2", "smallint"),
    ("serial", "integer"),
    ("serial4", "integer"),
    ("bigserial", "bigint"),
    ("serial8", "bigint"),
];

declare_rule! {
    /// Finds columns added to existing tables with a volatile default, which rewrites the table.
    ///
    /// ## What it does
    /// Reports `ALTER TABLE … ADD COLUMN` on a table that already exists when the migration
    /// runs (not created earlier in the same file) when the column's default calls a volatile
    /// function — `random()`, `clock_timestamp()`, `gen_random_uuid()`, `uuid_generate_v4()`,
    /// `nextval()`, a user function declared (or left) `VOLATILE` — or the column is `serial`
    /// or an identity column. Constant defaults and STABLE ones such as `now()` are free since
    /// PostgreSQL 11 and are not reported.
    ///
    /// ## Why it matters
    /// A volatile default must be computed for every existing row, so PostgreSQL rewrites the
    /// whole table (and rebuilds its indexes) under an ACCESS EXCLUSIVE lock: no reads and no
    /// writes until it finishes — minutes to hours on a large table, and twice its disk space.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders ADD COLUMN public_id uuid DEFAULT gen_random_uuid();
    /// ```
    ///
    /// ## Fix
    /// ```sql
    /// ALTER TABLE orders ADD COLUMN public_id uuid;
    /// ALTER TABLE orders ALTER COLUMN public_id SET DEFAULT gen_random_uuid();
    /// -- backfill existing rows in batches (add a key range):
    /// UPDATE orders SET public_id = gen_random_uuid() WHERE public_id IS NULL;
    /// ```
    pub struct VolatileDefaultOnExistingTable {
        id: "volatile-default-on-existing-table",
        category: Migration,
        severity: Warning,
        dialects: [Postgres],
        scope: Statement,
    }
}

impl Rule for VolatileDefaultOnExistingTable {
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
            let Op::AddColumn { column_def, .. } = op else {
                continue;
            };
            let type_text = column_def.data_type.to_string().to_ascii_lowercase();
            let serial = SERIAL
                .iter()
                .find(|(s, _)| *s == type_text)
                .map(|(_, base)| *base);
            let default = column_def.options.iter().find_map(|o| match &o.option {
                ColumnOption::Default(e) => Some(e),
                _ => None,
            });
            let identity = column_def.options.iter().any(|o| {
                matches!(
                    &o.option,
                    ColumnOption::Generated {
                        generation_expr: None,
                        ..
                    }
                )
            });
            let volatile_call = default.and_then(|e| volatile_function(ctx, e));
            let what = match (&volatile_call, serial, identity) {
                (Some(f), _, _) => format!("volatile default {f}()"),
                (None, Some(_), _) => format!("{type_text} (a sequence default)"),
                (None, None, true) => "an identity (a sequence default)".to_string(),
                _ => continue,
            };
            if existing.is_none() {
                match existing_table(ctx, &alter.name) {
                    Some(t) => existing = Some(t),
                    None => return,
                }
            }
            let Some(table) = &existing else { return };
            let shown = table.display(dialect);
            let column = ident(&column_def.name, dialect);
            let object = table.column_display(&column, dialect);
            let col = quote_ident(&column);
            let mut diag = VolatileDefaultOnExistingTable::META
                .diag(format!(
                    "adding {object} with {what} rewrites existing table {shown} under an ACCESS EXCLUSIVE lock"
                ))
                .at(Some(ctx.locate(column_def)))
                .object(object)
                .help("every existing row gets its own value, so the whole table and its indexes are rewritten while no query can read or write it; add the column without a default, set the default, then backfill old rows in batches");
            let fix = match (default, serial) {
                (Some(default), None) if volatile_call.is_some() => {
                    let kept = kept_options(column_def);
                    Some(format!(
                        "ALTER TABLE {shown} ADD COLUMN {col} {}{kept};\n\
                         ALTER TABLE {shown} ALTER COLUMN {col} SET DEFAULT {default};\n\
                         -- backfill existing rows in batches (add a key range):\n\
                         UPDATE {shown} SET {col} = {default} WHERE {col} IS NULL;",
                        column_def.data_type
                    ))
                }
                (None, Some(base)) => {
                    let sequence = QualName::new(
                        table.schema.clone(),
                        super::common::generated_name(&[&table.name, &column], "seq"),
                    );
                    let seq = sequence.display(dialect);
                    let literal = seq.replace('\'', "''");
                    let kept = kept_options(column_def);
                    Some(format!(
                        "ALTER TABLE {shown} ADD COLUMN {col} {base}{kept};\n\
                         CREATE SEQUENCE {seq} AS {base} OWNED BY {shown}.{col};\n\
                         ALTER TABLE {shown} ALTER COLUMN {col} SET DEFAULT nextval('{literal}');\n\
                         -- backfill existing rows in batches (add a key range):\n\
                         UPDATE {shown} SET {col} = nextval('{literal}') WHERE {col} IS NULL;"
                    ))
                }
                _ => None,
            };
            if let Some(mut fix) = fix {
                let not_null = column_def
                    .options
                    .iter()
                    .any(|o| matches!(o.option, ColumnOption::NotNull));
                if not_null {
                    fix.push_str(
                        "\n-- then SET NOT NULL without a long lock (see set-not-null-on-existing-column)",
                    );
                }
                diag = diag.fix(fix);
            }
            out.push(diag);
        }
    }
}

/// The first volatile function a default calls, if any.
fn volatile_function(ctx: &StatementCtx, expr: &Expr) -> Option<String> {
    let mut found = None;
    for_each_expr(expr, |e| {
        let Expr::Function(f) = e else { return };
        if found.is_some() {
            return;
        }
        let name = function_name(f);
        let qualified = f.name.0.len() > 1;
        let builtin = VOLATILE.contains(&name.as_str());
        let user_volatile =
            !builtin && !qualified_builtin(f) && user_function_volatile(ctx, &f.name, qualified);
        if builtin || user_volatile {
            found = Some(name);
        }
    });
    found
}

/// `pg_catalog.x(…)`: a built-in, never a user function.
fn qualified_builtin(f: &sqlparser::ast::Function) -> bool {
    f.name.0.len() > 1
        && f.name
            .0
            .first()
            .is_some_and(|p| p.to_string().eq_ignore_ascii_case("pg_catalog"))
}

/// Whether the model knows the function and every overload of it is VOLATILE (the default
/// for `CREATE FUNCTION`). Unknown functions are not reported.
fn user_function_volatile(
    ctx: &StatementCtx,
    name: &sqlparser::ast::ObjectName,
    qualified: bool,
) -> bool {
    let dialect = ctx.dialect();
    let qual = steward_sql::names::Resolver::new(dialect).qualify(name);
    let mut overloads = ctx.before.functions_named(&qual).peekable();
    if overloads.peek().is_none() && !qualified {
        return ctx
            .before
            .function_by_bare_name(&qual.schema, &qual.name)
            .is_some_and(|f| f.volatility == Volatility::Volatile && !f.is_procedure);
    }
    let mut any = false;
    for f in overloads {
        if f.volatility != Volatility::Volatile {
            return false;
        }
        any = true;
    }
    any
}

/// The column's options other than its default and `NOT NULL` (added later, separately).
fn kept_options(column_def: &sqlparser::ast::ColumnDef) -> String {
    column_def
        .options
        .iter()
        .filter(|o| !matches!(o.option, ColumnOption::Default(_) | ColumnOption::NotNull))
        .map(|o| format!(" {o}"))
        .collect()
}
