use super::{archiving_on, segment_number};
use crate::checks::prelude::*;

declare_rule! {
    /// Finds servers whose WAL archive is falling behind the WAL being written.
    ///
    /// ## What it does
    /// Compares the last archived WAL file in `pg_stat_archiver` with the segment being
    /// written now, and reports when at least `min-segments` completed segments are waiting
    /// and the last success is older than `max-age-seconds`.
    ///
    /// ## Why it matters
    /// A recovery can only reach the last archived segment: everything written since is lost
    /// if the server dies now. A growing backlog also fills `pg_wal`.
    ///
    /// ## Example
    /// `archive-stale: 42 WAL segments are waiting to be archived; the last was archived 3.1 h ago`
    ///
    /// ## Fix
    /// Look for a slow or failing `archive_command` (see `archive-failing`), a throttled
    /// network link to the archive, or an archiver that cannot keep up (pgBackRest and WAL-G
    /// archive in parallel).
    pub struct ArchiveStale {
        id: "archive-stale",
        category: Health,
        severity: Warning,
        dialects: [Postgres],
        scope: Live,
    }
}

impl LiveCheck for ArchiveStale {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn thresholds(&self) -> &'static [Threshold] {
        &[
            Threshold {
                name: "min-segments",
                default: 2.0,
                unit: "segments",
                doc: "completed WAL segments waiting to be archived",
            },
            Threshold {
                name: "max-age-seconds",
                default: 3600.0,
                unit: "s",
                doc: "age of the last successful archive",
            },
        ]
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
            if !archiving_on(row)? {
                continue;
            }
            let Some(current) = get::<Option<String>>(row, "current_wal")?
                .as_deref()
                .and_then(segment_number)
            else {
                continue;
            };
            let last = get::<Option<String>>(row, "last_archived_wal")?;
            let last_number = last.as_deref().and_then(segment_number);
            // The segment being written is not complete; everything before it should be archived.
            let waiting = match last_number {
                Some(n) => current.saturating_sub(n + 1),
                None => current.saturating_sub(1),
            } as f64;
            let age = get::<Option<f64>>(row, "archived_age_seconds")?;
            let min_segments = ctx.threshold("min-segments");
            if waiting < min_segments || age.is_some_and(|a| a < ctx.threshold("max-age-seconds")) {
                continue;
            }
            let when = age.map_or(
                "nothing has been archived since the statistics were reset".to_string(),
                |a| format!("the last was archived {} ago", human_duration(a)),
            );
            out.push(
                ctx.meta
                    .diag(format!("{waiting:.0} WAL segments are waiting to be archived; {when}"))
                    .object("archive_command")
                    .measured(waiting, min_segments, "segments")
                    .help("A recovery can only reach the last archived segment: what was written since is lost if the server dies now, and the backlog fills pg_wal. Look for a slow or failing archive_command."),
            );
        }
        Ok(())
    }
}
