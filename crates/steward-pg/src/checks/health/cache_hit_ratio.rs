use crate::checks::prelude::*;

declare_rule! {
    /// Finds databases that read too many pages from disk instead of the buffer cache.
    ///
    /// ## What it does
    /// Compares `blks_hit` with `blks_read` in `pg_stat_database` for the audited database
    /// since its statistics were reset, once there are enough reads to judge (`min-blocks`),
    /// and reports a share of cache hits below `min-ratio`.
    ///
    /// ## Why it matters
    /// A page from shared buffers costs microseconds; one from disk costs up to milliseconds.
    /// An OLTP database below ~99% hits spends its time waiting on I/O: queries slow down
    /// together and the storage bill grows.
    ///
    /// ## Example
    /// `cache-hit-ratio: database shop reads 8.2% of its pages from disk`
    ///
    /// ## Fix
    /// First make queries read fewer pages (missing indexes: `steward advise`), then size
    /// `shared_buffers` (about 25% of RAM is the usual start) and the machine's memory.
    pub struct CacheHitRatio {
        id: "cache-hit-ratio",
        category: Health,
        severity: Warning,
        dialects: [Postgres],
        scope: Live,
    }
}

impl LiveCheck for CacheHitRatio {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn thresholds(&self) -> &'static [Threshold] {
        &[
            Threshold {
                name: "min-ratio",
                default: 0.99,
                unit: "ratio",
                doc: "lowest acceptable share of pages found in the cache",
            },
            Threshold {
                name: "min-blocks",
                default: 100_000.0,
                unit: "blocks",
                doc: "pages read (hit + read) before the ratio is judged",
            },
        ]
    }

    fn source(&self, _: &ServerFacts) -> Source {
        Source::Sql(include_str!("cache_hit_ratio.sql"))
    }

    fn evaluate(
        &self,
        rows: &[Row],
        ctx: &CheckCtx,
        out: &mut Vec<Diagnostic>,
    ) -> Result<(), RowError> {
        let min_ratio = ctx.threshold("min-ratio");
        for row in rows {
            let database: String = get(row, "database")?;
            let hits: f64 = get(row, "hits")?;
            let reads: f64 = get(row, "reads")?;
            let total = hits + reads;
            if total < ctx.threshold("min-blocks") || total == 0.0 {
                continue;
            }
            let ratio = hits / total;
            if ratio >= min_ratio {
                continue;
            }
            out.push(
                ctx.meta
                    .diag(format!(
                        "database {database} finds only {:.1}% of the pages it reads in the buffer cache",
                        ratio * 100.0
                    ))
                    .object(database)
                    .measured(ratio * 100.0, min_ratio * 100.0, "%")
                    .help(format!(
                        "{:.0} of {:.0} page reads since the statistics were reset ({} ago) went to disk; every one of them waits on storage. Reduce the pages queries read (missing indexes: `steward advise`), then give the cache more memory (shared_buffers, about 25% of RAM).",
                        reads,
                        total,
                        human_duration(ctx.server.stats_age_seconds)
                    )),
            );
        }
        Ok(())
    }
}
