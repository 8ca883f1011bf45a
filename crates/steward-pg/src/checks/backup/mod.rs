//! Backups: whether point-in-time recovery would work (`steward backup pitr-check`).

mod archive_failing;
mod archive_stale;
mod pitr_not_configured;

use super::LiveCheck;
use crate::checks::{get, RowError};
use tokio_postgres::Row;

pub fn checks() -> Vec<&'static dyn LiveCheck> {
    vec![
        &archive_failing::ArchiveFailing,
        &archive_stale::ArchiveStale,
        &pitr_not_configured::PitrNotConfigured,
    ]
}

/// Whether WAL archiving is switched on at all.
pub(super) fn archiving_on(row: &Row) -> Result<bool, RowError> {
    let mode: String = get(row, "archive_mode")?;
    let command: String = get(row, "archive_command")?;
    let library: String = get(row, "archive_library")?;
    Ok(mode != "off" && (!(command.is_empty() || command == "(disabled)") || !library.is_empty()))
}

/// A WAL file name's position: segments since the start of its timeline (16 MB segments).
pub(super) fn segment_number(wal: &str) -> Option<u64> {
    if wal.len() != 24 {
        return None;
    }
    let log = u64::from_str_radix(&wal[8..16], 16).ok()?;
    let seg = u64::from_str_radix(&wal[16..24], 16).ok()?;
    Some(log * 0x100 + seg)
}
