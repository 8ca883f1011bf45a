use crate::checks::prelude::*;

declare_rule! {
    /// Finds standbys that have fallen behind the primary.
    ///
    /// ## What it does
    /// For each standby in `pg_stat_replication` (run on the primary), measures the WAL not
    /// yet replayed (bytes) and `replay_lag` (time), and reports standbys past `max-bytes` or
    /// `max-seconds`.
    ///
    /// ## Why it matters
    /// Reads served by a lagging replica return stale data, and a failover to it loses
    /// everything not yet replayed. A stuck standby with a slot also makes the primary keep
    /// WAL (see `inactive-replication-slot`).
    ///
    /// ## Example
    /// `replication-lag: standby replica1 (10.0.0.12) is 2.1 GB / 340 s behind`
    ///
    /// ## Fix
    /// Look at the standby: replay paused, long queries conflicting with replay
    /// (`max_standby_streaming_delay`), slow disk or network. Check `pg_stat_wal_receiver` there.
    pub struct ReplicationLag {
        id: "replication-lag",
        category: Health,
        severity: Warning,
        dialects: [Postgres],
        scope: Live,
    }
}

impl LiveCheck for ReplicationLag {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn thresholds(&self) -> &'static [Threshold] {
        &[
            Threshold {
                name: "max-bytes",
                default: 256.0 * 1024.0 * 1024.0,
                unit: "bytes",
                doc: "most WAL a standby may have left to replay",
            },
            Threshold {
                name: "max-seconds",
                default: 60.0,
                unit: "s",
                doc: "longest acceptable replay lag",
            },
        ]
    }

    fn limitation(&self, server: &ServerFacts) -> Option<String> {
        needs_read_all_stats(server)
    }

    fn source(&self, server: &ServerFacts) -> Source {
        if server.in_recovery {
            return Source::Skip(
                "this server is a standby; audit the primary to see its standbys' lag".into(),
            );
        }
        Source::Sql(include_str!("replication_lag.sql"))
    }

    fn evaluate(
        &self,
        rows: &[Row],
        ctx: &CheckCtx,
        out: &mut Vec<Diagnostic>,
    ) -> Result<(), RowError> {
        let max_bytes = ctx.threshold("max-bytes");
        let max_seconds = ctx.threshold("max-seconds");
        for row in rows {
            let bytes = get::<Option<f64>>(row, "replay_bytes")?
                .unwrap_or(0.0)
                .max(0.0);
            let seconds = get::<Option<f64>>(row, "replay_seconds")?.unwrap_or(0.0);
            if bytes < max_bytes && seconds < max_seconds {
                continue;
            }
            let app: String = get(row, "application_name")?;
            let client: String = get(row, "client")?;
            let state: String = get(row, "state")?;
            let name = if app.is_empty() { client.clone() } else { app };
            let d = ctx
                .meta
                .diag(format!(
                    "standby {name} ({client}, {state}) is {} / {} behind in replay",
                    human_bytes(bytes),
                    human_duration(seconds)
                ))
                .object(name)
                .help("Reads from this standby return stale data and a failover to it would lose the WAL not yet replayed. Check the standby: replay paused, queries conflicting with replay, slow disk or network (pg_stat_wal_receiver there).");
            out.push(if bytes >= max_bytes {
                d.measured(bytes, max_bytes, "bytes")
            } else {
                d.measured(seconds, max_seconds, "s")
            });
        }
        Ok(())
    }
}
