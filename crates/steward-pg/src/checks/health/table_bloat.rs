use super::bloat;
use crate::checks::prelude::*;

declare_rule! {
    /// Finds tables that occupy far more pages than their live rows need (an estimate).
    ///
    /// ## What it does
    /// Estimates, from planner statistics (`pg_stats`) and `pg_class`, how many pages the
    /// table's live rows would fill and compares that with the pages it occupies. The figure
    /// is an estimate and says so; `pgstattuple` gives exact numbers at the cost of reading
    /// the whole table. Reported when at least `min-ratio` of the table and `min-bytes` are
    /// estimated to be empty space.
    ///
    /// ## Why it matters
    /// Plain VACUUM makes dead space reusable but rarely gives it back. A table that is mostly
    /// empty pages makes every sequential scan, backup and replica copy pay for space that
    /// holds nothing, and pushes useful pages out of the cache.
    ///
    /// ## Example
    /// `table-bloat: public.events is about 72% empty space (1.4 GB)`
    ///
    /// ## Fix
    /// Rewrite the table without blocking writers using `pg_repack`, or `VACUUM FULL` in a
    /// maintenance window (it takes an ACCESS EXCLUSIVE lock for the whole rewrite). Then find
    /// out why it bloated: mass deletes, updates of wide rows, or vacuum falling behind.
    pub struct TableBloat {
        id: "table-bloat",
        category: Health,
        severity: Warning,
        dialects: [Postgres],
        scope: Live,
    }
}

impl LiveCheck for TableBloat {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn thresholds(&self) -> &'static [Threshold] {
        bloat::THRESHOLDS
    }

    fn source(&self, _: &ServerFacts) -> Source {
        Source::Sql(include_str!("table_bloat.sql"))
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
            let name = qualified(&get::<String>(row, "schema")?, &get::<String>(row, "name")?);
            out.push(
                ctx.meta
                    .diag(format!(
                        "{name} is an estimated {:.0}% empty space ({})",
                        ratio * 100.0,
                        human_bytes(wasted)
                    ))
                    .object(name.clone())
                    .measured(ratio * 100.0, ctx.threshold("min-ratio") * 100.0, "%")
                    .help("Estimated from planner statistics (run ANALYZE first for a fresh figure; pgstattuple gives an exact one). Scans, backups and replicas pay for the empty pages. Rewrite it online with pg_repack, or with VACUUM FULL in a maintenance window (it blocks reads and writes while it runs).")
                    .fix(format!("-- blocks the table while it runs; prefer pg_repack on a busy table\nVACUUM (FULL, ANALYZE) {name};")),
            );
        }
        Ok(())
    }
}
