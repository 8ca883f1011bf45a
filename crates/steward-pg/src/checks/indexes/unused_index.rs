use crate::checks::prelude::*;
use steward_core::model::TableKind;

declare_rule! {
    /// Finds indexes that no query has used since the statistics were reset.
    ///
    /// ## What it does
    /// Reports valid indexes with zero scans in `pg_stat_user_indexes` that do not enforce
    /// anything (not unique, not backing a PRIMARY KEY, UNIQUE or EXCLUDE constraint), with
    /// their size (at least `min-bytes`) and how long the statistics have been collecting — the evidence. With less
    /// than `min-evidence-days` of statistics the finding is only informational.
    ///
    /// ## Why it matters
    /// Every INSERT, UPDATE of an indexed column and DELETE maintains every index, and each
    /// index takes disk, cache, backup and replica space. An index nobody reads is all cost.
    ///
    /// ## Example
    /// `unused-index: public.orders_status_idx (214 MB) has not been scanned in 41 days`
    ///
    /// ## Fix
    /// Statistics are per server: check the replicas (and month-end jobs) before dropping it,
    /// then `DROP INDEX CONCURRENTLY the_index;`.
    pub struct UnusedIndex {
        id: "unused-index",
        category: Performance,
        severity: Warning,
        dialects: [Postgres],
        scope: Live,
    }
}

impl LiveCheck for UnusedIndex {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn thresholds(&self) -> &'static [Threshold] {
        &[
            Threshold {
                name: "min-bytes",
                default: 1024.0 * 1024.0,
                unit: "bytes",
                doc: "smallest index worth reporting",
            },
            Threshold {
                name: "min-evidence-days",
                default: 7.0,
                unit: "days",
                doc: "statistics age below which the finding is only informational",
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
        let min_bytes = ctx.threshold("min-bytes");
        let age = ctx.server.stats_age_seconds;
        let evidence_enough = age >= ctx.threshold("min-evidence-days") * 86_400.0;
        for index in &ctx.model.indexes {
            let Some(stats) = &index.stats else { continue };
            if index.unique || index.constraint.is_some() || !index.valid || stats.idx_scan > 0 {
                continue;
            }
            let partitioned = ctx
                .model
                .tables
                .get(&index.table)
                .is_some_and(|t| t.kind == TableKind::Partitioned);
            if partitioned || (stats.bytes as f64) < min_bytes {
                continue;
            }
            let mut d = ctx
                .meta
                .diag(format!(
                    "index {} on {} ({}) has not been scanned in the {} since statistics were reset",
                    index.name,
                    index.table,
                    human_bytes(stats.bytes as f64),
                    human_duration(age)
                ))
                .object(index.name.to_string())
                .measured(stats.idx_scan as f64, 0.0, "scans")
                .help(format!(
                    "Every write to {} maintains it and it takes disk, cache and backup space, but no query read it. Statistics are per server: check replicas and rare jobs (month-end reports) before dropping it.{}",
                    index.table,
                    if evidence_enough { "" } else { " The statistics are young, so this is weak evidence for now." }
                ))
                .fix(format!("DROP INDEX CONCURRENTLY {};", index.name));
            if !evidence_enough {
                d.severity = Severity::Info;
            }
            out.push(d);
        }
        Ok(())
    }
}
