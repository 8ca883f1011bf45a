use super::bloat;
use crate::checks::prelude::*;

declare_rule! {
    /// Finds B-tree indexes that occupy far more pages than their entries need (an estimate).
    ///
    /// ## What it does
    /// Estimates, from planner statistics (`pg_stats`), how many pages the index's entries
    /// would fill and compares that with the pages it occupies. Indexes with expression keys
    /// are skipped (no statistics to estimate from). The figure is an estimate and says so;
    /// `pgstatindex()` gives exact numbers. Reported when at least `min-ratio` of the index and
    /// `min-bytes` are estimated to be empty space.
    ///
    /// ## Why it matters
    /// B-tree pages emptied by deletes and updates are reused only for keys in the same
    /// range, so indexes on queues, time series and frequently updated keys keep growing. A
    /// bloated index is slower to scan, crowds the cache, and every write still maintains it.
    ///
    /// ## Example
    /// `index-bloat: public.events_created_at_idx is about 80% empty space (600 MB)`
    ///
    /// ## Fix
    /// `REINDEX INDEX CONCURRENTLY the_index;` rebuilds it without blocking reads or writes
    /// (PostgreSQL 12+).
    pub struct IndexBloat {
        id: "index-bloat",
        category: Health,
        severity: Warning,
        dialects: [Postgres],
        scope: Live,
    }
}

impl LiveCheck for IndexBloat {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn thresholds(&self) -> &'static [Threshold] {
        bloat::THRESHOLDS
    }

    fn source(&self, _: &ServerFacts) -> Source {
        Source::Sql(include_str!("index_bloat.sql"))
    }

    fn evaluate(
        &self,
        rows: &[Row],
        ctx: &CheckCtx,
        out: &mut Vec<Diagnostic>,
    ) -> Result<(), RowError> {
        for row in rows {
            let Some((wasted, ratio)) = bloat::waste(row, ctx)? else {
                continue;
            };
            let schema: String = get(row, "schema")?;
            let name = qualified(&schema, &get::<String>(row, "name")?);
            let table = qualified(&schema, &get::<String>(row, "table")?);
            out.push(
                ctx.meta
                    .diag(format!(
                        "index {name} on {table} is an estimated {:.0}% empty space ({})",
                        ratio * 100.0,
                        human_bytes(wasted)
                    ))
                    .object(name.clone())
                    .measured(ratio * 100.0, ctx.threshold("min-ratio") * 100.0, "%")
                    .help("Estimated from planner statistics (pgstatindex gives an exact figure). The empty pages are scanned, cached and backed up for nothing. Rebuild the index without blocking reads or writes.")
                    .fix(format!("REINDEX INDEX CONCURRENTLY {name};")),
            );
        }
        Ok(())
    }
}
