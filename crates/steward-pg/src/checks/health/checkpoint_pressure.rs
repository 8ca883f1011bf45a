use crate::checks::prelude::*;

declare_rule! {
    /// Finds servers where most checkpoints are forced by WAL volume instead of the timer.
    ///
    /// ## What it does
    /// Compares requested checkpoints (WAL reached `max_wal_size`, or an explicit
    /// `CHECKPOINT`) with timed ones in `pg_stat_bgwriter` (`pg_stat_checkpointer` on
    /// PostgreSQL 17+), once there are at least `min-checkpoints`, and reports when the
    /// requested share passes `max-requested-ratio`.
    ///
    /// ## Why it matters
    /// Each checkpoint flushes every dirty page and, with `full_page_writes`, makes the next
    /// change of each page write a whole page to WAL. Checkpoints forced every few minutes by
    /// a small `max_wal_size` multiply I/O and WAL volume and cause latency spikes.
    ///
    /// ## Example
    /// `checkpoint-pressure: 84% of checkpoints were requested (max_wal_size = 1GB)`
    ///
    /// ## Fix
    /// Raise `max_wal_size` until checkpoints are mostly timed:
    /// `ALTER SYSTEM SET max_wal_size = '4GB'; SELECT pg_reload_conf();`. Manual CHECKPOINT
    /// commands and base backups also count as requested.
    pub struct CheckpointPressure {
        id: "checkpoint-pressure",
        category: Health,
        severity: Warning,
        dialects: [Postgres],
        scope: Live,
    }
}

impl LiveCheck for CheckpointPressure {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn thresholds(&self) -> &'static [Threshold] {
        &[
            Threshold {
                name: "max-requested-ratio",
                default: 0.3,
                unit: "ratio",
                doc: "largest acceptable share of requested checkpoints",
            },
            Threshold {
                name: "min-checkpoints",
                default: 10.0,
                unit: "checkpoints",
                doc: "checkpoints needed before the ratio is judged",
            },
        ]
    }

    fn source(&self, server: &ServerFacts) -> Source {
        if server.major() >= 17 {
            Source::Sql(include_str!("checkpoint_pressure_17.sql"))
        } else {
            Source::Sql(include_str!("checkpoint_pressure.sql"))
        }
    }

    fn evaluate(
        &self,
        rows: &[Row],
        ctx: &CheckCtx,
        out: &mut Vec<Diagnostic>,
    ) -> Result<(), RowError> {
        let limit = ctx.threshold("max-requested-ratio");
        for row in rows {
            let timed: f64 = get(row, "timed")?;
            let requested: f64 = get(row, "requested")?;
            let total = timed + requested;
            if total < ctx.threshold("min-checkpoints") || total == 0.0 {
                continue;
            }
            let ratio = requested / total;
            if ratio < limit {
                continue;
            }
            let max_wal: String = get(row, "max_wal_size")?;
            out.push(
                ctx.meta
                    .diag(format!(
                        "{:.0}% of checkpoints were requested rather than timed ({requested:.0} of {total:.0}; max_wal_size = {max_wal})",
                        ratio * 100.0
                    ))
                    .object("max_wal_size")
                    .measured(ratio * 100.0, limit * 100.0, "%")
                    .help("Forced checkpoints flush all dirty pages early and make the following writes log full pages: more I/O, more WAL, latency spikes. Raise max_wal_size until checkpoints are mostly timed (manual CHECKPOINTs and base backups count as requested too).")
                    .fix("ALTER SYSTEM SET max_wal_size = '4GB';  -- size it to a checkpoint_timeout's worth of WAL\nSELECT pg_reload_conf();"),
            );
        }
        Ok(())
    }
}
