use crate::checks::prelude::*;

declare_rule! {
    /// Finds databases whose queries spill sorts and hashes to temporary files.
    ///
    /// ## What it does
    /// Reads `temp_files` and `temp_bytes` from `pg_stat_database` for the audited database and
    /// reports when queries wrote at least `min-bytes` of temporary files since the statistics
    /// were reset.
    ///
    /// ## Why it matters
    /// A sort or hash that does not fit in `work_mem` goes to disk and runs many times slower;
    /// heavy spilling also competes with the I/O everything else needs.
    ///
    /// ## Example
    /// `temp-file-spill: queries in shop wrote 48.0 GB to 1200 temporary files (work_mem = 4MB)`
    ///
    /// ## Fix
    /// Find the queries (`log_temp_files = 0`, or `steward advise` with pg_stat_statements'
    /// `temp_blks_written`), then give them an index that avoids the sort, or more memory for
    /// that role or query only: `ALTER ROLE reporting SET work_mem = '64MB';`.
    pub struct TempFileSpill {
        id: "temp-file-spill",
        category: Health,
        severity: Warning,
        dialects: [Postgres],
        scope: Live,
    }
}

impl LiveCheck for TempFileSpill {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn thresholds(&self) -> &'static [Threshold] {
        &[Threshold {
            name: "min-bytes",
            default: 1024.0 * 1024.0 * 1024.0,
            unit: "bytes",
            doc: "temporary file volume since the statistics reset worth a finding",
        }]
    }

    fn source(&self, _: &ServerFacts) -> Source {
        Source::Sql(include_str!("temp_file_spill.sql"))
    }

    fn evaluate(
        &self,
        rows: &[Row],
        ctx: &CheckCtx,
        out: &mut Vec<Diagnostic>,
    ) -> Result<(), RowError> {
        let limit = ctx.threshold("min-bytes");
        for row in rows {
            let bytes: f64 = get(row, "temp_bytes")?;
            if bytes < limit || bytes == 0.0 {
                continue;
            }
            let files: f64 = get(row, "temp_files")?;
            let database: String = get(row, "database")?;
            let work_mem: String = get(row, "work_mem")?;
            out.push(
                ctx.meta
                    .diag(format!(
                        "queries in {database} wrote {} to {files:.0} temporary files (work_mem = {work_mem})",
                        human_bytes(bytes)
                    ))
                    .object(database)
                    .measured(bytes, limit, "bytes")
                    .help(format!(
                        "Over {} since the statistics were reset. Sorts and hashes that do not fit in work_mem run on disk, many times slower. Find the queries (log_temp_files = 0, or temp_blks_written in pg_stat_statements via `steward advise`), then avoid the sort with an index or raise work_mem for that role or query only.",
                        human_duration(ctx.server.stats_age_seconds)
                    ))
                    .fix("ALTER SYSTEM SET log_temp_files = 0;  -- log every spill with its query, then tune those\nSELECT pg_reload_conf();"),
            );
        }
        Ok(())
    }
}
