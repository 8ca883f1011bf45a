use super::common::takes_blocking_lock;
use crate::prelude::*;
use steward_core::statement::Statement;

declare_rule! {
    /// Finds migrations that take blocking locks without a `lock_timeout`.
    ///
    /// ## What it does
    /// Reports the first statement of a file that takes a lock blocking reads or writes of an
    /// existing table (ALTER TABLE, CREATE/DROP INDEX without CONCURRENTLY, DROP TABLE) when no
    /// `SET lock_timeout` (or `SET LOCAL lock_timeout`, or `set_config('lock_timeout', …)`)
    /// comes before it in the same file. Once per file.
    ///
    /// ## Why it matters
    /// The lock request waits behind any long-running query on the table — and while it waits,
    /// every other query on the table queues behind *it*. A migration that needs the lock for a
    /// millisecond can take the application down for as long as the slowest report runs. With
    /// a lock timeout the migration fails fast instead and can be retried.
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
        if !takes_blocking_lock(ctx, ctx.statement) {
            return;
        }
        for earlier in ctx.earlier_in_file {
            if sets_lock_timeout(earlier) || takes_blocking_lock(ctx, earlier) {
                // Set already, or reported at the file's first locking statement.
                return;
            }
        }
        out.push(
            Self::META
                .diag("this migration takes a blocking lock on an existing table without a lock_timeout")
                .at(Some(ctx.location()))
                .help("while the lock waits behind a long query, every other query on the table queues behind it; set lock_timeout at the top of the migration so it fails fast and can be retried")
                .fix("SET lock_timeout = '5s';"),
        );
    }
}

fn sets_lock_timeout(statement: &Statement) -> bool {
    let text = statement.text.to_ascii_lowercase();
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    match words.as_slice() {
        ["set", "lock_timeout", ..] | ["set", "local" | "session", "lock_timeout", ..] => true,
        _ => text.contains("set_config") && text.contains("'lock_timeout'"),
    }
}
