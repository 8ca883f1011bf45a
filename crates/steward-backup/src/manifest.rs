//! `manifest.json`: what a dump must contain, recorded in the dump's own snapshot.

use crate::BackupError;
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const MANIFEST: &str = "manifest.json";
pub const FORMAT: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub steward_version: String,
    /// The server's clock when the snapshot was taken.
    pub created_at: String,
    pub server_version: String,
    pub server_version_num: u32,
    /// Where the dump came from — never the password.
    pub source: Source,
    pub database_bytes: i64,
    /// SHA-256 of the sorted schema description (relations, columns, constraints, indexes,
    /// views, functions).
    pub schema_fingerprint: String,
    pub tables: Vec<TableEntry>,
    pub sequences: Vec<SequenceEntry>,
    /// `globals.sql` from `pg_dumpall --globals-only --no-role-passwords` is in the backup.
    pub globals: bool,
    /// Content checksums were taken (`create --deep`).
    pub deep: bool,
    /// The dump files are age-encrypted (`….age`); verify needs an identity.
    #[serde(default)]
    pub encrypted: bool,
    /// Every file of the backup but the manifest, with its size and SHA-256.
    pub files: Vec<FileEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Source {
    pub host: String,
    pub port: u16,
    pub dbname: String,
    pub user: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct TableEntry {
    pub schema: String,
    pub name: String,
    pub rows: i64,
    /// The table's ACL as PostgreSQL prints it (`{app=r/owner}`); `None` = default privileges.
    pub acl: Option<String>,
    /// md5 over the sorted md5s of the rows' text (with `--deep`).
    pub checksum: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SequenceEntry {
    pub schema: String,
    pub name: String,
    pub last_value: i64,
    pub is_called: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileEntry {
    /// Relative to the backup directory, `/`-separated.
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

impl Manifest {
    pub fn read(dir: &Path) -> Result<Manifest, BackupError> {
        let path = dir.join(MANIFEST);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                BackupError::Invalid(format!(
                    "{} has no {MANIFEST}: not a steward backup, or one whose creation did not finish",
                    dir.display()
                ))
            } else {
                BackupError::io(&path, e)
            }
        })?;
        let manifest: Manifest = serde_json::from_str(&text)
            .map_err(|e| BackupError::Invalid(format!("{}: {e}", path.display())))?;
        if manifest.format != FORMAT {
            return Err(BackupError::Invalid(format!(
                "{}: manifest format {} is not supported (this steward reads {FORMAT})",
                path.display(),
                manifest.format
            )));
        }
        Ok(manifest)
    }
}
