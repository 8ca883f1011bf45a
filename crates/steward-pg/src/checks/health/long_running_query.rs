use crate::checks::prelude::*;

declare_rule! {
    /// Finds statements that have been running for too long.
    ///
    /// ## What it does
    /// Reports client sessions whose current statement has been `active` for longer than
    /// `max-seconds`, with the user, application, what it waits on and the statement's kind
    /// (its first keyword) — never the query text, which may contain secrets.
    ///
    /// ## Why it matters
    /// A long statement holds its snapshot and locks the whole time: vacuum cannot clean up
    /// behind it, DDL queues behind its locks, and on a primary it may be a runaway report
    /// eating CPU and I/O that interactive queries need.
    ///
    /// ## Example
    /// `long-running-query: session 311 (user report) has been running a SELECT for 2.5 h`
    ///
    /// ## Fix
    /// Cancel it if it is a mistake (`SELECT pg_cancel_backend(pid);`), move reports to a
    /// replica, and cap statements per role:
    /// `ALTER ROLE app SET statement_timeout = '30s';`.
    pub struct LongRunningQuery {
        id: "long-running-query",
        category: Health,
        severity: Warning,
        dialects: [Postgres],
        scope: Live,
    }
}

impl LiveCheck for LongRunningQuery {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn thresholds(&self) -> &'static [Threshold] {
        &[Threshold {
            name: "max-seconds",
            default: 300.0,
            unit: "s",
            doc: "longest acceptable running time of one statement",
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
            if state != "active" {
                continue;
            }
            let running = get::<Option<f64>>(row, "query_seconds")?.unwrap_or(0.0);
            if running < limit {
                continue;
            }
            let pid: i32 = get(row, "pid")?;
            let user: String = get(row, "usename")?;
            let app: String = get(row, "application_name")?;
            let statement =
                get::<Option<String>>(row, "statement")?.unwrap_or_else(|| "statement".into());
            let waiting = match (
                get::<Option<String>>(row, "wait_event_type")?,
                get::<Option<String>>(row, "wait_event")?,
            ) {
                (Some(t), Some(e)) => format!(" It is waiting on {t}/{e}."),
                _ => String::new(),
            };
            out.push(
                ctx.meta
                    .diag(format!(
                        "session {pid} (user {user}{}) has been running a {statement} for {}",
                        application(&app),
                        human_duration(running)
                    ))
                    .object(format!("pid {pid}"))
                    .measured(running, limit, "s")
                    .help(format!(
                        "A long statement holds its snapshot and locks: vacuum cannot clean up behind it and DDL queues behind it.{waiting} Cancel it if it is a mistake, run reports on a replica, and cap statements with statement_timeout."
                    ))
                    .fix(format!(
                        "SELECT pg_cancel_backend({pid});\nALTER ROLE {} SET statement_timeout = '30s';",
                        ident(&user)
                    )),
            );
        }
        Ok(())
    }
}
