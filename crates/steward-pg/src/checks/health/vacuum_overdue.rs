use crate::checks::prelude::*;

declare_rule! {
    /// Finds tables carrying many dead rows that (auto)vacuum has not cleaned up.
    ///
    /// ## What it does
    /// Reads `n_dead_tup` and `n_live_tup` from `pg_stat_user_tables` and reports tables where
    /// dead rows are at least `min-dead` and make up at least `dead-ratio` of the table, with
    /// when the table was last vacuumed and analysed and whether autovacuum is off for it.
    ///
    /// ## Why it matters
    /// Every UPDATE and DELETE leaves a dead row version behind. Until vacuum removes them,
    /// scans read them, indexes point to them, the table grows and queries slow down; a table
    /// that is never vacuumed also never gets its rows frozen (see `xid-wraparound`).
    ///
    /// ## Example
    /// `vacuum-overdue: public.events has 2400000 dead rows (61% of the table)`
    ///
    /// ## Fix
    /// `VACUUM (ANALYZE) the_table;` now; then find out why autovacuum fell behind: it may be
    /// disabled on the table, throttled (`autovacuum_vacuum_cost_limit`), or blocked by a long
    /// transaction (see `idle-in-transaction`, `long-running-query`).
    pub struct VacuumOverdue {
        id: "vacuum-overdue",
        category: Health,
        severity: Warning,
        dialects: [Postgres],
        scope: Live,
    }
}

impl LiveCheck for VacuumOverdue {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn thresholds(&self) -> &'static [Threshold] {
        &[
            Threshold {
                name: "dead-ratio",
                default: 0.2,
                unit: "ratio",
                doc: "share of dead rows in the table",
            },
            Threshold {
                name: "min-dead",
                default: 10_000.0,
                unit: "rows",
                doc: "fewest dead rows worth a finding",
            },
        ]
    }

    fn source(&self, _: &ServerFacts) -> Source {
        Source::Sql(include_str!("vacuum_overdue.sql"))
    }

    fn evaluate(
        &self,
        rows: &[Row],
        ctx: &CheckCtx,
        out: &mut Vec<Diagnostic>,
    ) -> Result<(), RowError> {
        let ratio_limit = ctx.threshold("dead-ratio");
        for row in rows {
            let live: f64 = get(row, "live")?;
            let dead: f64 = get(row, "dead")?;
            if dead < ctx.threshold("min-dead") || dead == 0.0 {
                continue;
            }
            let ratio = dead / (live + dead);
            if ratio < ratio_limit {
                continue;
            }
            let name = qualified(&get::<String>(row, "schema")?, &get::<String>(row, "name")?);
            let vacuumed: Option<f64> = get(row, "vacuum_age_seconds")?;
            let analysed: Option<f64> = get(row, "analyze_age_seconds")?;
            let disabled: bool = get(row, "autovacuum_disabled")?;
            let ago = |age: Option<f64>| {
                age.map_or("never".to_string(), |s| {
                    format!("{} ago", human_duration(s))
                })
            };
            let mut help = format!(
                "Scans read the dead rows too and the table keeps growing. Last vacuum: {}; last analyze: {}.",
                ago(vacuumed),
                ago(analysed)
            );
            let mut fix = format!("VACUUM (ANALYZE) {name};");
            if disabled {
                help.push_str(
                    " Autovacuum is switched off for this table (autovacuum_enabled = false).",
                );
                fix.push_str(&format!("\nALTER TABLE {name} RESET (autovacuum_enabled);"));
            } else {
                help.push_str(" If autovacuum keeps falling behind, look for long transactions holding back cleanup and for cost limits throttling it.");
            }
            out.push(
                ctx.meta
                    .diag(format!(
                        "{name} has {dead:.0} dead rows ({:.0}% of the table) waiting for vacuum",
                        ratio * 100.0
                    ))
                    .object(name)
                    .measured(ratio * 100.0, ratio_limit * 100.0, "%")
                    .help(help)
                    .fix(fix),
            );
        }
        Ok(())
    }
}
