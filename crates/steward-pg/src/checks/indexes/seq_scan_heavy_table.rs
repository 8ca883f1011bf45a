use crate::checks::prelude::*;

declare_rule! {
    /// Finds large tables that are read mostly by sequential scans.
    ///
    /// ## What it does
    /// From `pg_stat_user_tables`, reports tables with at least `min-rows` live rows that had
    /// at least `min-scans` sequential scans, where sequential scans are at least
    /// `min-seq-share` of all scans, with the rows those scans read.
    ///
    /// ## Why it matters
    /// A sequential scan reads the whole table to find its rows. On a large table that runs
    /// often, it is usually a query missing an index: its time and I/O grow with the table.
    ///
    /// ## Example
    /// `seq-scan-heavy-table: public.events (~8000000 rows) was read by 1200 sequential scans (9.6 billion rows)`
    ///
    /// ## Fix
    /// Find the queries (`steward advise` ranks them and tests candidate indexes with
    /// hypothetical indexes), then add the index their predicates need.
    pub struct SeqScanHeavyTable {
        id: "seq-scan-heavy-table",
        category: Performance,
        severity: Warning,
        dialects: [Postgres],
        scope: Live,
    }
}

impl LiveCheck for SeqScanHeavyTable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn thresholds(&self) -> &'static [Threshold] {
        &[
            Threshold {
                name: "min-rows",
                default: 10_000.0,
                unit: "rows",
                doc: "smallest table worth reporting",
            },
            Threshold {
                name: "min-scans",
                default: 100.0,
                unit: "scans",
                doc: "fewest sequential scans worth reporting",
            },
            Threshold {
                name: "min-seq-share",
                default: 0.5,
                unit: "ratio",
                doc: "share of scans that are sequential",
            },
        ]
    }

    fn source(&self, _: &ServerFacts) -> Source {
        Source::Model
    }

    fn evaluate(
        &self,
        _: &[Row],
        ctx: &CheckCtx,
        out: &mut Vec<Diagnostic>,
    ) -> Result<(), RowError> {
        let min_scans = ctx.threshold("min-scans");
        let min_share = ctx.threshold("min-seq-share");
        for table in ctx.model.tables.values() {
            let Some(stats) = &table.stats else { continue };
            let rows = stats.n_live_tup as f64;
            let seq = stats.seq_scan as f64;
            let total = seq + stats.idx_scan as f64;
            if rows < ctx.threshold("min-rows") || seq < min_scans || total == 0.0 {
                continue;
            }
            let share = seq / total;
            if share < min_share {
                continue;
            }
            out.push(
                ctx.meta
                    .diag(format!(
                        "{} (~{rows:.0} rows) was read by {seq:.0} sequential scans ({:.0}% of its scans, {} rows read)",
                        table.name,
                        share * 100.0,
                        stats.seq_tup_read
                    ))
                    .object(table.name.to_string())
                    .measured(seq, min_scans, "scans")
                    .help("Each sequential scan reads the whole table; frequent ones on a large table usually mean a query without a usable index. `steward advise` finds the queries and tests candidate indexes."),
            );
        }
        Ok(())
    }
}
