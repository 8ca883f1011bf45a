use super::archiving_on;
use crate::checks::prelude::*;

declare_rule! {
    /// Finds servers on which point-in-time recovery is impossible: no WAL archiving.
    ///
    /// ## What it does
    /// Checks `wal_level` (must be `replica` or `logical`), `archive_mode` and that an
    /// `archive_command` or `archive_library` is set.
    ///
    /// ## Why it matters
    /// Without archived WAL, a restore can only go back to the last dump or base backup:
    /// every change since then is lost, and a mistaken `DELETE` at 14:03 cannot be undone by
    /// recovering to 14:02.
    ///
    /// ## Example
    /// `pitr-not-configured: WAL is not archived (archive_mode = off): point-in-time recovery is impossible`
    ///
    /// ## Fix
    /// Archive WAL with a tool made for it (pgBackRest, WAL-G, barman):
    /// `ALTER SYSTEM SET archive_mode = on;` and its `archive_command`, then restart. Take base
    /// backups regularly and run `steward backup drill` to prove a restore works.
    pub struct PitrNotConfigured {
        id: "pitr-not-configured",
        category: Health,
        severity: Warning,
        dialects: [Postgres],
        scope: Live,
    }
}

impl LiveCheck for PitrNotConfigured {
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
            let wal_level: String = get(row, "wal_level")?;
            let mode: String = get(row, "archive_mode")?;
            let why = if wal_level == "minimal" {
                "wal_level = minimal".to_string()
            } else if mode == "off" {
                "archive_mode = off".to_string()
            } else if !archiving_on(row)? {
                "archive_mode is on but no archive_command or archive_library is set".to_string()
            } else {
                continue;
            };
            out.push(
                ctx.meta
                    .diag(format!("WAL is not archived ({why}): point-in-time recovery is impossible"))
                    .object("archive_mode")
                    .help("A restore can only go back to the last dump or base backup; every change since is lost, and a mistake cannot be undone by recovering to just before it. Archive WAL with pgBackRest, WAL-G or barman, take base backups, and prove a restore with `steward backup drill`.")
                    .fix("ALTER SYSTEM SET wal_level = replica;\nALTER SYSTEM SET archive_mode = on;\nALTER SYSTEM SET archive_command = 'pgbackrest --stanza=main archive-push %p';  -- your tool's command\n-- restart the server"),
            );
        }
        Ok(())
    }
}
