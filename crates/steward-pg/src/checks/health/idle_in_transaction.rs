use crate::checks::prelude::*;

declare_rule! {
    /// Finds sessions that opened a transaction and have been idle in it for too long.
    ///
    /// ## What it does
    /// Reports client sessions in state `idle in transaction` (or `… (aborted)`) for longer
    /// than `max-seconds`, with the user, application and transaction age — never the query
    /// text, which may contain secrets.
    ///
    /// ## Why it matters
    /// An open transaction keeps its locks and its snapshot: vacuum cannot remove any row
    /// version newer than it anywhere in the database (tables bloat), and DDL waiting on its
    /// locks blocks every query queued behind it. Usually it is an application that forgot to
    /// commit, or a human in a psql session.
    ///
    /// ## Example
    /// `idle-in-transaction: session 4242 (user app, application api) idle in transaction for 47 min`
    ///
    /// ## Fix
    /// End it (`SELECT pg_terminate_backend(pid);`), fix the code path that leaves
    /// transactions open, and set a guard:
    /// `ALTER ROLE app SET idle_in_transaction_session_timeout = '60s';`.
    pub struct IdleInTransaction {
        id: "idle-in-transaction",
        category: Health,
        severity: Warning,
        dialects: [Postgres],
        scope: Live,
    }
}

impl LiveCheck for IdleInTransaction {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn thresholds(&self) -> &'static [Threshold] {
        &[Threshold {
            name: "max-seconds",
            default: 300.0,
            unit: "s",
            doc: "longest acceptable idle time inside a transaction",
        }]
    }

    fn limitation(&self, server: &ServerFacts) -> Option<String> {
        needs_read_all_stats(server)
    }

    fn source(&self, _: &ServerFacts) -> Source {
        Source::Sql(include_str!("sessions.sql"))
    }

    fn evaluate(
        &self,
        rows: &[Row],
        ctx: &CheckCtx,
        out: &mut Vec<Diagnostic>,
    ) -> Result<(), RowError> {
        let limit = ctx.threshold("max-seconds");
        for row in rows {
            let state: String = get(row, "state")?;
            if !state.starts_with("idle in transaction") {
                continue;
            }
            let idle = get::<Option<f64>>(row, "state_seconds")?.unwrap_or(0.0);
            if idle < limit {
                continue;
            }
            let pid: i32 = get(row, "pid")?;
            let user: String = get(row, "usename")?;
            let app: String = get(row, "application_name")?;
            let xact = get::<Option<f64>>(row, "xact_seconds")?.unwrap_or(idle);
            out.push(
                ctx.meta
                    .diag(format!(
                        "session {pid} (user {user}{}) has been {state} for {}",
                        application(&app),
                        human_duration(idle)
                    ))
                    .object(format!("pid {pid}"))
                    .measured(idle, limit, "s")
                    .help(format!(
                        "Its transaction is {} old: it holds its locks, and vacuum cannot clean up rows changed since it began. End it, fix the code path that leaves it open, and set idle_in_transaction_session_timeout as a guard.",
                        human_duration(xact)
                    ))
                    .fix(format!(
                        "SELECT pg_terminate_backend({pid});\nALTER ROLE {} SET idle_in_transaction_session_timeout = '60s';",
                        ident(&user)
                    )),
            );
        }
        Ok(())
    }
}
