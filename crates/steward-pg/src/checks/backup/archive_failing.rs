use super::archiving_on;
use crate::checks::prelude::*;

declare_rule! {
    /// Finds servers whose WAL archiving is failing.
    ///
    /// ## What it does
    /// Reads `pg_stat_archiver` and reports when the last archiving attempt failed (the last
    /// failure is newer than the last success), with the WAL file and the failure count.
    ///
    /// ## Why it matters
    /// While `archive_command` fails, PostgreSQL keeps every WAL segment in `pg_wal` until the
    /// disk fills and the server stops; and the archive has a gap, so point-in-time recovery
    /// past the gap is impossible.
    ///
    /// ## Example
    /// `archive-failing: archiving of WAL file 000000010000000A000000FE is failing (37 failures)`
    ///
    /// ## Fix
    /// Read the server log for the `archive_command` error (permissions, a full archive disk,
    /// credentials of the object store) and fix it; archiving resumes by itself.
    pub struct ArchiveFailing {
        id: "archive-failing",
        category: Health,
        severity: Error,
        dialects: [Postgres],
        scope: Live,
    }
}

impl LiveCheck for ArchiveFailing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn source(&self, _: &ServerFacts) -> Source {
        Source::Sql(include_str!("archiving.sql"))
    }

    fn evaluate(
        &self,
        rows: &[Row],
        ctx: &CheckCtx,
        out: &mut Vec<Diagnostic>,
    ) -> Result<(), RowError> {
        for row in rows {
            if !archiving_on(row)? || !get::<bool>(row, "failing")? {
                continue;
            }
            let failed: i64 = get(row, "failed_count")?;
            let wal = get::<Option<String>>(row, "last_failed_wal")?.unwrap_or_default();
            out.push(
                ctx.meta
                    .diag(format!("archiving of WAL file {wal} is failing ({failed} failures since the statistics were reset)"))
                    .object("archive_command")
                    .measured(failed as f64, 0.0, "failures")
                    .help("Until archive_command succeeds, pg_wal keeps every segment and grows until the disk is full; the archive has a gap, so point-in-time recovery past it is impossible. The server log has the command's error.")
                    .fix("-- find the failing command's error:\n-- grep 'archive command failed' in the server log, fix it; archiving resumes by itself\nSELECT * FROM pg_stat_archiver;"),
            );
        }
        Ok(())
    }
}
