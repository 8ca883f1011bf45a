use crate::checks::prelude::*;

declare_rule! {
    /// Finds servers using most of their allowed connections.
    ///
    /// ## What it does
    /// Counts client backends in `pg_stat_activity` against `max_connections` minus
    /// `superuser_reserved_connections`, and reports when the share passes `max-ratio`.
    ///
    /// ## Why it matters
    /// At the limit, new connections fail with "too many clients already": the application
    /// errors out, usually during a traffic peak. Each connection is a process with its own
    /// memory, so raising the limit is rarely the cure.
    ///
    /// ## Example
    /// `connection-saturation: 182 of 197 connections in use (92%), 150 of them idle`
    ///
    /// ## Fix
    /// Put a pooler in front (PgBouncer in transaction mode, or the application's pool sized
    /// to the database, not to the web workers), close idle connections
    /// (`idle_session_timeout`, PG14+), and only then consider a higher `max_connections`.
    pub struct ConnectionSaturation {
        id: "connection-saturation",
        category: Health,
        severity: Warning,
        dialects: [Postgres],
        scope: Live,
    }
}

impl LiveCheck for ConnectionSaturation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn thresholds(&self) -> &'static [Threshold] {
        &[Threshold {
            name: "max-ratio",
            default: 0.8,
            unit: "ratio",
            doc: "share of the available connections in use",
        }]
    }

    fn source(&self, _: &ServerFacts) -> Source {
        Source::Sql(include_str!("connection_saturation.sql"))
    }

    fn evaluate(
        &self,
        rows: &[Row],
        ctx: &CheckCtx,
        out: &mut Vec<Diagnostic>,
    ) -> Result<(), RowError> {
        let limit = ctx.threshold("max-ratio");
        for row in rows {
            let used: f64 = get(row, "connections")?;
            let idle: f64 = get(row, "idle")?;
            let available = get::<f64>(row, "max_connections")? - get::<f64>(row, "reserved")?;
            if available <= 0.0 {
                continue;
            }
            let ratio = used / available;
            if ratio < limit {
                continue;
            }
            out.push(
                ctx.meta
                    .diag(format!(
                        "{used:.0} of {available:.0} connections in use ({:.0}%), {idle:.0} of them idle",
                        ratio * 100.0
                    ))
                    .object("max_connections")
                    .measured(ratio * 100.0, limit * 100.0, "%")
                    .help("At the limit new connections fail with \"too many clients already\". Pool connections (PgBouncer in transaction mode, or an application pool sized for the database) and close idle ones (idle_session_timeout) before raising max_connections: every connection is a process with its own memory."),
            );
        }
        Ok(())
    }
}
