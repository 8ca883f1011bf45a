use crate::checks::prelude::*;

declare_rule! {
    /// Finds sessions blocked on a lock held by another session, and says who blocks whom.
    ///
    /// ## What it does
    /// Uses `pg_blocking_pids()` for every session waiting on a lock for longer than
    /// `min-seconds` and reports the blocker: its user, application, state and transaction
    /// age (never query texts).
    ///
    /// ## Why it matters
    /// Lock queues grow behind the first waiter: one forgotten transaction or a migration
    /// waiting for an ACCESS EXCLUSIVE lock can stall every query on a table, and to users
    /// the application looks down.
    ///
    /// ## Example
    /// `blocked-queries: session 812 (user app) has waited 45 s for a lock held by session 790 (user admin, idle in transaction for 12 min)`
    ///
    /// ## Fix
    /// End the blocker if it is stuck (`SELECT pg_terminate_backend(blocker_pid);`); run DDL
    /// with `SET lock_timeout = '2s'` and retries so it never queues in front of traffic.
    pub struct BlockedQueries {
        id: "blocked-queries",
        category: Health,
        severity: Warning,
        dialects: [Postgres],
        scope: Live,
    }
}

impl LiveCheck for BlockedQueries {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn thresholds(&self) -> &'static [Threshold] {
        &[Threshold {
            name: "min-seconds",
            default: 10.0,
            unit: "s",
            doc: "shortest lock wait worth a finding",
        }]
    }

    fn limitation(&self, server: &ServerFacts) -> Option<String> {
        needs_read_all_stats(server)
    }

    fn source(&self, _: &ServerFacts) -> Source {
        Source::Sql(include_str!("blocked_queries.sql"))
    }

    fn evaluate(
        &self,
        rows: &[Row],
        ctx: &CheckCtx,
        out: &mut Vec<Diagnostic>,
    ) -> Result<(), RowError> {
        let limit = ctx.threshold("min-seconds");
        for row in rows {
            let waited = get::<Option<f64>>(row, "waiting_seconds")?.unwrap_or(0.0);
            if waited < limit {
                continue;
            }
            let pid: i32 = get(row, "blocked_pid")?;
            let user: String = get(row, "blocked_user")?;
            let blocker: i32 = get(row, "blocker_pid")?;
            let blocker_user: String = get(row, "blocker_user")?;
            let blocker_app: String = get(row, "blocker_app")?;
            let blocker_state: String = get(row, "blocker_state")?;
            let xact = get::<Option<f64>>(row, "blocker_xact_seconds")?
                .map(|s| format!(", transaction open for {}", human_duration(s)))
                .unwrap_or_default();
            out.push(
                ctx.meta
                    .diag(format!(
                        "session {pid} (user {user}) has waited {} for a lock held by session {blocker} (user {blocker_user}{}, {blocker_state}{xact})",
                        human_duration(waited),
                        application(&blocker_app),
                    ))
                    .object(format!("pid {pid}"))
                    .measured(waited, limit, "s")
                    .help("Every query that needs the same lock queues behind the first waiter. End the blocker if it is stuck; run schema changes with a short lock_timeout and retries so they never queue in front of traffic.")
                    .fix(format!("SELECT pg_terminate_backend({blocker});")),
            );
        }
        Ok(())
    }
}
