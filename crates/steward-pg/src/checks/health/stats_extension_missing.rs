use crate::checks::prelude::*;

declare_rule! {
    /// Finds databases without pg_stat_statements, the record of which queries cost what.
    ///
    /// ## What it does
    /// Checks that `pg_stat_statements` is in `shared_preload_libraries` and that the
    /// extension is created in the audited database, and says which step is missing.
    ///
    /// ## Why it matters
    /// Without it nobody can tell which queries use the database's time: slow-query hunts
    /// become guesswork, and `steward advise` has no workload to analyse. Its overhead is
    /// small (a few percent at most) and it never stores parameter values.
    ///
    /// ## Example
    /// `stats-extension-missing: pg_stat_statements is loaded but not created in database shop`
    ///
    /// ## Fix
    /// Add it to `shared_preload_libraries` (restart), then `CREATE EXTENSION pg_stat_statements;`
    /// in the database. Managed services enable it through their parameter groups.
    pub struct StatsExtensionMissing {
        id: "stats-extension-missing",
        category: Health,
        severity: Warning,
        dialects: [Postgres],
        scope: Live,
    }
}

impl LiveCheck for StatsExtensionMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn source(&self, _: &ServerFacts) -> Source {
        Source::Sql(include_str!("stats_extension_missing.sql"))
    }

    fn evaluate(
        &self,
        rows: &[Row],
        ctx: &CheckCtx,
        out: &mut Vec<Diagnostic>,
    ) -> Result<(), RowError> {
        for row in rows {
            let database: String = get(row, "database")?;
            let installed: bool = get(row, "installed")?;
            let preloaded: bool = get(row, "preloaded")?;
            let available: bool = get(row, "available")?;
            if installed && preloaded {
                continue;
            }
            let (message, fix) = match (preloaded, installed) {
                (true, false) => (
                    format!("pg_stat_statements is loaded but not created in database {database}"),
                    "CREATE EXTENSION IF NOT EXISTS pg_stat_statements;".to_string(),
                ),
                _ => (
                    "pg_stat_statements is not in shared_preload_libraries, so no query statistics are collected".to_string(),
                    format!(
                        "{}ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements';  -- keep any libraries already listed\n-- restart the server, then:\nCREATE EXTENSION IF NOT EXISTS pg_stat_statements;",
                        if available { "" } else { "-- install the contrib package first (Debian: postgresql-contrib)\n" }
                    ),
                ),
            };
            out.push(
                ctx.meta
                    .diag(message)
                    .object(database)
                    .help("Without it there is no record of which queries use the database's time, and `steward advise` has no workload to analyse. Its overhead is small and it never stores parameter values.")
                    .fix(fix),
            );
        }
        Ok(())
    }
}
