//! `steward backup`: dumps that are proven by restoring them.
//!
//! [`create`] runs the system `pg_dump` (directory format, parallel) on a snapshot exported
//! from a read-only transaction and, in that same snapshot, records what the dump must contain:
//! exact row counts, sequence positions, grants and a schema fingerprint, plus a SHA-256 per
//! file — the manifest, written last so a failed dump never looks complete. [`verify`] checks
//! the files, restores them into a scratch database that it creates and drops, and compares.
//! With `--encrypt-to`, the dump files are encrypted at rest with age.

mod create;
mod crypt;
mod drill;
mod manifest;
mod verify;

pub use create::{create, CreateOptions};
pub use drill::{drill, DrillReport};
pub use manifest::{Manifest, MANIFEST};
pub use verify::{verify, VerifyOptions, VerifyReport};

use std::path::{Path, PathBuf};
use std::process::Command;

/// Why a backup command could not do its job (exit code 2). Mismatches found by verify are not
/// errors: they are the report.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(transparent)]
    Connect(#[from] steward_pg::connect::ConnectError),
    #[error("{what}: {message}")]
    Query { what: String, message: String },
    #[error("{0}")]
    Tool(String),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(String),
}

impl BackupError {
    fn io(path: &Path, source: std::io::Error) -> Self {
        BackupError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    fn query(what: &str, e: &tokio_postgres::Error) -> Self {
        BackupError::Query {
            what: what.to_string(),
            message: steward_pg::error_text(e),
        }
    }
}

/// Where the PostgreSQL client programs are: `--pg-bin`, else `$PATH`.
#[derive(Debug, Clone, Default)]
pub struct Tools {
    pub bindir: Option<PathBuf>,
}

impl Tools {
    pub fn command(&self, program: &str) -> Command {
        match &self.bindir {
            Some(dir) => Command::new(dir.join(program)),
            None => Command::new(program),
        }
    }

    /// The major version of a client program, or a clear error when it is missing.
    pub fn major_version(&self, program: &str) -> Result<u32, BackupError> {
        let out = self.command(program).arg("--version").output().map_err(|e| {
            BackupError::Tool(format!(
                "cannot run {program} ({e}); install the PostgreSQL client programs (Debian: postgresql-client) or pass --pg-bin DIR"
            ))
        })?;
        let text = String::from_utf8_lossy(&out.stdout);
        // "pg_dump (PostgreSQL) 15.4 (Debian 15.4-1)"
        text.split_whitespace()
            .nth(2)
            .and_then(|v| v.split('.').next())
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| {
                BackupError::Tool(format!(
                    "cannot read the version of {program}: {}",
                    text.trim()
                ))
            })
    }
}

/// The environment that passes connection parameters to pg_dump/pg_restore/psql: never on the
/// command line, where `ps` would show a password.
pub fn libpq_env(params: &steward_pg::connect::Params) -> Vec<(&'static str, String)> {
    let mut env = vec![
        ("PGHOST", params.host.clone()),
        ("PGPORT", params.port.to_string()),
        ("PGUSER", params.user.clone()),
        ("PGDATABASE", params.dbname.clone()),
        ("PGSSLMODE", params.sslmode.as_str().to_string()),
        ("PGAPPNAME", "steward-backup".to_string()),
    ];
    if let Some(p) = &params.password {
        env.push(("PGPASSWORD", p.clone()));
    }
    if let Some(r) = &params.sslrootcert {
        env.push(("PGSSLROOTCERT", r.display().to_string()));
    }
    env
}

/// SHA-256 of a file, hex.
pub fn sha256_file(path: &Path) -> Result<(String, u64), BackupError> {
    use sha2::Digest;
    use std::io::Read;
    let mut file = std::fs::File::open(path).map_err(|e| BackupError::io(path, e))?;
    let mut hasher = sha2::Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut total = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(|e| BackupError::io(path, e))?;
        if n == 0 {
            break;
        }
        total += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok((hex(&hasher.finalize()), total))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `"schema"."name"` for generated SQL.
fn qualified(schema: &str, name: &str) -> String {
    format!("{}.{}", quote(schema), quote(name))
}

fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}
