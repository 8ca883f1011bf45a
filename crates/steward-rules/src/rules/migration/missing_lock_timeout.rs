use super::common::{existing_table, find_index};
use crate::prelude::*;
use sqlparser::ast::{AlterTableOperation as Op, Expr, ObjectType, Set, Statement as S};
use steward_core::statement::Statement;

declare_rule! {
    /// Finds migration files that lock existing tables without setting `lock_timeout` first.
    ///
    /// ## What it does
    /// Reports, once per file, the first statement that takes a strong lock on a table that
    /// already exists when the migration runs — `ALTER TABLE`, `CREATE INDEX` or `DROP INDEX`
    /// without `CONCURRENTLY`, `DROP TABLE`, `TRUNCATE`, `CREATE TRIGGER` — when no earlier
    /// statement of the same file sets `lock_timeout` (`SET lock_timeout`,
    /// `SET LOCAL lock_timeout`, or `set_config('lock_timeout', …)`) to a non-zero value.
    /// Each file counts as its own session. `ALTER TABLE … VALIDATE CONSTRAINT`, whose lock
    /// lets reads and writes go on, is not counted.
    ///
    /// ## Why it matters
    /// The statement itself may take milliseconds, but it must wait for its lock until every
    /// running query on the table finishes — and while it waits, every new query on the table
    /// queues behind it. One slow report or a forgotten open transaction turns a quick
    /// migration into minutes of the application hanging on that table, then timeouts and
    /// exhausted connection pools. With `lock_timeout` the migration gives up after a few
    /// seconds instead, and can simply be retried.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders ADD COLUMN note text;
    /// ```
    ///
    /// ## Fix
    /// ```sql
    /// SET lock_timeout = '5s';
    /// ALTER TABLE orders ADD COLUMN note text;
    /// ```
    pub struct MissingLockTimeout {
        id: "missing-lock-timeout",
        category: Migration,
        severity: Warning,
        dialects: [Postgres],
        scope: Statement,
    }
}

impl Rule for MissingLockTimeout {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_statement(&self, ctx: &StatementCtx, out: &mut Vec<Diagnostic>) {
        let Some((what, object)) = locked_table(ctx, ctx.statement) else {
            return;
        };
        // Nearest first: a lock_timeout setting makes the file safe from there on; an earlier
        // locking statement is the file's first one and carries the finding. Each statement is
        // passed over by at most one later locking statement, so the scan stays linear.
        for earlier in ctx.earlier_in_file.iter().rev() {
            if sets_lock_timeout(earlier) || locked_table(ctx, earlier).is_some() {
                return;
            }
        }
        out.push(
            MissingLockTimeout::META
                .diag(format!(
                    "this migration locks {what} without setting lock_timeout first"
                ))
                .at(Some(ctx.location()))
                .object(object)
                .help("waiting for the lock behind one long-running query makes every other query on the table queue behind the migration; set lock_timeout at the top of the file so it fails fast and can be retried")
                .fix("SET lock_timeout = '5s';"),
        );
    }
}

/// The existing table a statement locks strongly enough to queue ordinary queries behind it
/// (as the schema stands before the current statement): how to say it, and its name.
fn locked_table(ctx: &StatementCtx, statement: &Statement) -> Option<(String, String)> {
    let dialect = ctx.dialect();
    let table = |t: &QualName| {
        let shown = t.display(dialect);
        (format!("existing table {shown}"), shown)
    };
    let existing = |name| existing_table(ctx, name).map(|t| table(&t));
    match statement.ast()? {
        S::AlterTable(alter) => {
            // VALIDATE CONSTRAINT takes SHARE UPDATE EXCLUSIVE: reads and writes go on.
            let light = alter
                .operations
                .iter()
                .all(|op| matches!(op, Op::ValidateConstraint { .. }));
            if light {
                return None;
            }
            existing(&alter.name)
        }
        S::CreateIndex(create) if !create.concurrently => existing(&create.table_name),
        S::Drop {
            object_type: ObjectType::Index,
            names,
            ..
        } if !statement.removed("CONCURRENTLY") => names.iter().find_map(|name| {
            let index_name = steward_sql::names::Resolver::new(dialect).qualify(name);
            let index = find_index(ctx.before, &index_name)
                .or_else(|| find_index(ctx.after_all, &index_name));
            match index {
                Some(i) => ctx.table_preexists(&i.table).then(|| table(&i.table)),
                None => {
                    let shown = index_name.display(dialect);
                    Some((format!("the table of index {shown}"), shown))
                }
            }
        }),
        S::Drop {
            object_type: ObjectType::Table,
            names,
            ..
        } => names.iter().find_map(existing),
        S::Truncate(truncate) => truncate.table_names.iter().find_map(|t| existing(&t.name)),
        S::CreateTrigger(trigger) => existing(&trigger.table_name),
        _ => None,
    }
}

/// Whether a statement sets `lock_timeout` to a non-zero value.
fn sets_lock_timeout(statement: &Statement) -> bool {
    match statement.ast() {
        Some(S::Set(Set::SingleAssignment {
            variable, values, ..
        })) => {
            steward_sql::names::last(variable, Dialect::Postgres) == "lock_timeout"
                && values.first().is_some_and(non_zero)
        }
        Some(query @ S::Query(_)) => {
            let mut found = false;
            for_each_expr(query, |e| {
                let Expr::Function(f) = e else { return };
                if function_name(f) != "set_config" {
                    return;
                }
                let args = function_args(f);
                let named = args
                    .first()
                    .and_then(|a| string_literal(a))
                    .is_some_and(|n| n.eq_ignore_ascii_case("lock_timeout"));
                if named && args.get(1).is_some_and(|v| non_zero(v)) {
                    found = true;
                }
            });
            found
        }
        _ => false,
    }
}

/// A timeout value other than 0 / DEFAULT (both mean "wait forever").
fn non_zero(value: &Expr) -> bool {
    let text = match value {
        Expr::Value(v) => match &v.value {
            sqlparser::ast::Value::Number(n, _) => n.clone(),
            _ => match string_literal(value) {
                Some(s) => s.to_string(),
                None => return true,
            },
        },
        Expr::Identifier(i) => i.value.clone(),
        other => match string_literal(other) {
            Some(s) => s.to_string(),
            None => return true,
        },
    };
    let digits: String = text
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    if digits.is_empty() {
        // `DEFAULT` (0 unless the server sets one) or something unreadable.
        return !text.trim().eq_ignore_ascii_case("default");
    }
    digits.parse::<f64>().is_ok_and(|n| n > 0.0)
}
