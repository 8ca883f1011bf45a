//! `steward backup verify`: prove a backup by restoring it into a scratch database.

use crate::create::{contents, fingerprint, table_checksum};
use crate::manifest::Manifest;
use crate::{libpq_env, qualified, quote, sha256_file, BackupError, Tools};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;
use steward_pg::connect::{self, Params, Safety};

#[derive(Debug, Clone)]
pub struct VerifyOptions {
    pub dir: PathBuf,
    /// A database on the server to restore on (the scratch database is created next to it).
    pub scratch: Params,
    pub jobs: u32,
    /// Compare per-table content checksums (the manifest must have them: `create --deep`).
    pub deep: bool,
    /// SQL that must return `true` on the restored database.
    pub checks: Vec<String>,
    /// Run `globals.sql` on the scratch server before restoring (creates its roles there).
    pub with_globals: bool,
    pub tools: Tools,
    /// age identity file for an encrypted backup.
    pub identity: Option<PathBuf>,
}

/// What verification found. `problems` empty means the backup is proven.
#[derive(Debug, Clone, Default)]
pub struct VerifyReport {
    pub problems: Vec<String>,
    /// What was checked and matched, for the summary.
    pub checked: Vec<String>,
    pub scratch_database: Option<String>,
}

impl VerifyReport {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

pub async fn verify(options: &VerifyOptions) -> Result<VerifyReport, BackupError> {
    let manifest = Manifest::read(&options.dir)?;
    let mut report = VerifyReport::default();
    check_files(&options.dir, &manifest, &mut report)?;
    if !report.ok() {
        // A damaged backup is not restored: what it would restore cannot be trusted.
        return Ok(report);
    }
    if options.deep && !manifest.deep {
        return Err(BackupError::Invalid(
            "--deep needs content checksums in the manifest: create the backup with --deep".into(),
        ));
    }
    // An encrypted backup is decrypted into a private temporary directory, removed afterwards.
    let decrypted = if manifest.encrypted {
        let identity = options.identity.as_deref().ok_or_else(|| {
            BackupError::Invalid(
                "this backup is encrypted: pass --identity FILE (an age identity file)".into(),
            )
        })?;
        Some(decrypt_all(&options.dir, &manifest, identity)?)
    } else {
        None
    };
    let source_dir = decrypted
        .as_ref()
        .map_or(options.dir.as_path(), |d| d.path());
    let restore_major = options.tools.major_version("pg_restore")?;
    if restore_major < manifest.server_version_num / 10000 {
        return Err(BackupError::Tool(format!(
            "pg_restore is version {restore_major} but the dump comes from PostgreSQL {}",
            manifest.server_version
        )));
    }
    let admin_safety = Safety {
        statement_timeout: Duration::ZERO,
        lock_timeout: Duration::from_secs(30),
        idle_in_transaction_timeout: Duration::ZERO,
        read_only: false,
    };
    let admin = connect::connect(&options.scratch, &admin_safety).await?;
    let scratch = format!(
        "steward_verify_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis())
    );
    admin
        .client
        .batch_execute(&format!(
            "CREATE DATABASE {} TEMPLATE template0",
            quote(&scratch)
        ))
        .await
        .map_err(|e| BackupError::query("creating the scratch database", &e))?;
    report.scratch_database = Some(scratch.clone());
    let result = restore_and_compare(options, source_dir, &manifest, &scratch, &mut report).await;
    let dropped = admin
        .client
        .batch_execute(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            quote(&scratch)
        ))
        .await;
    result?;
    dropped.map_err(|e| BackupError::query("dropping the scratch database", &e))?;
    Ok(report)
}

fn check_files(
    dir: &Path,
    manifest: &Manifest,
    report: &mut VerifyReport,
) -> Result<(), BackupError> {
    let mut listed = BTreeSet::new();
    for f in &manifest.files {
        listed.insert(f.path.clone());
        let path = dir.join(&f.path);
        if !path.is_file() {
            report.problems.push(format!("file {} is missing", f.path));
            continue;
        }
        let (sha, bytes) = sha256_file(&path)?;
        if bytes != f.bytes {
            report.problems.push(format!(
                "file {} is {bytes} bytes, the manifest says {} (truncated or altered)",
                f.path, f.bytes
            ));
        } else if sha != f.sha256 {
            report.problems.push(format!(
                "file {}: SHA-256 does not match the manifest (the content was altered or corrupted)",
                f.path
            ));
        }
    }
    // Files that the manifest does not know were not part of the dump.
    let present = hash_files_list(dir)?;
    for extra in present.difference(&listed) {
        report
            .problems
            .push(format!("file {extra} is not in the manifest"));
    }
    if report.ok() {
        report.checked.push(format!(
            "{} files match their SHA-256",
            manifest.files.len()
        ));
    }
    Ok(())
}

fn hash_files_list(dir: &Path) -> Result<BTreeSet<String>, BackupError> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).map_err(|e| BackupError::io(&d, e))? {
            let path = entry.map_err(|e| BackupError::io(&d, e))?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = crate::create::relative(dir, &path);
                if rel != crate::MANIFEST {
                    out.insert(rel);
                }
            }
        }
    }
    Ok(out)
}

/// Decrypts every `….age` file of the backup into a new private temporary directory.
fn decrypt_all(
    dir: &Path,
    manifest: &Manifest,
    identity: &Path,
) -> Result<tempfile::TempDir, BackupError> {
    let identities = crate::crypt::load_identities(identity)?;
    let out = tempfile::Builder::new()
        .prefix("steward-verify-")
        .tempdir()
        .map_err(|e| BackupError::io(&std::env::temp_dir(), e))?;
    for file in &manifest.files {
        let Some(plain) = file.path.strip_suffix(".age") else {
            continue;
        };
        let target = out.path().join(plain);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| BackupError::io(parent, e))?;
        }
        crate::crypt::decrypt_to(&dir.join(&file.path), &target, &identities)?;
    }
    Ok(out)
}

async fn restore_and_compare(
    options: &VerifyOptions,
    source_dir: &Path,
    manifest: &Manifest,
    scratch: &str,
    report: &mut VerifyReport,
) -> Result<(), BackupError> {
    let mut target = options.scratch.clone();
    target.dbname = scratch.to_string();
    if options.with_globals && manifest.globals {
        // Roles are cluster-wide: existing ones make psql report an error and go on.
        let out = options
            .tools
            .command("psql")
            .args(["-X", "-q", "--no-password", "-f"])
            .arg(source_dir.join("globals.sql"))
            .envs(libpq_env(&target))
            .output()
            .map_err(|e| BackupError::Tool(format!("cannot run psql: {e}")))?;
        if !out.status.success() {
            report.problems.push(format!(
                "restoring globals.sql failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
    }
    let out = options
        .tools
        .command("pg_restore")
        .args(["--no-password", "--exit-on-error"])
        .arg(format!("--jobs={}", options.jobs.max(1)))
        .arg(format!("--dbname={scratch}"))
        .arg(source_dir.join("dump"))
        .envs(libpq_env(&target))
        .output()
        .map_err(|e| BackupError::Tool(format!("cannot run pg_restore: {e}")))?;
    let restore_errors: Vec<String> = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.contains("error") || l.contains("ERROR"))
        .map(|l| l.trim().to_string())
        .collect();
    if !out.status.success() {
        let missing_role = restore_errors
            .iter()
            .any(|l| l.contains("role") && l.contains("does not exist"));
        report.problems.push(format!(
            "pg_restore failed: {}{}",
            restore_errors.first().map_or("no message", String::as_str),
            if missing_role {
                " — the roles the dump grants to do not exist on the scratch server: restore the globals first (--with-globals, from create --globals)"
            } else {
                ""
            }
        ));
    } else {
        report
            .checked
            .push("pg_restore finished without errors".into());
    }

    let conn = connect::connect(
        &target,
        &Safety {
            statement_timeout: Duration::ZERO,
            ..Safety::default()
        },
    )
    .await?;
    let client = &conn.client;
    client
        .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .await
        .map_err(|e| BackupError::query("reading the restored database", &e))?;

    if fingerprint(client).await? == manifest.schema_fingerprint {
        report
            .checked
            .push("the schema matches the source's fingerprint".into());
    } else {
        report.problems.push(
            "the restored schema differs from the source's (schema fingerprint mismatch)".into(),
        );
    }

    let (tables, sequences) = contents(client, false).await?;
    let restored: BTreeMap<(String, String), _> = tables
        .iter()
        .map(|t| ((t.schema.clone(), t.name.clone()), t))
        .collect();
    let mut rows_ok = 0usize;
    for t in &manifest.tables {
        let name = qualified(&t.schema, &t.name);
        let Some(r) = restored.get(&(t.schema.clone(), t.name.clone())) else {
            report
                .problems
                .push(format!("table {name} is missing after restore"));
            continue;
        };
        if r.rows != t.rows {
            report.problems.push(format!(
                "table {name} has {} rows after restore, the manifest says {}",
                r.rows, t.rows
            ));
        } else {
            rows_ok += 1;
        }
        if acl_items(&r.acl) != acl_items(&t.acl) {
            let lost: Vec<_> = acl_items(&t.acl)
                .difference(&acl_items(&r.acl))
                .cloned()
                .collect();
            report.problems.push(format!(
                "table {name}: grants differ after restore (missing: {}) — were the roles (globals) restored?",
                if lost.is_empty() { "none; extra grants present".to_string() } else { lost.join(", ") }
            ));
        }
        if options.deep {
            if let Some(expected) = &t.checksum {
                if &table_checksum(client, &name).await? != expected {
                    report.problems.push(format!(
                        "table {name}: content checksum differs after restore"
                    ));
                }
            }
        }
    }
    report.checked.push(format!(
        "{rows_ok} of {} tables have exactly the rows of the snapshot",
        manifest.tables.len()
    ));

    let restored_seqs: BTreeMap<(String, String), _> = sequences
        .iter()
        .map(|s| ((s.schema.clone(), s.name.clone()), s))
        .collect();
    for s in &manifest.sequences {
        let name = qualified(&s.schema, &s.name);
        match restored_seqs.get(&(s.schema.clone(), s.name.clone())) {
            None => report
                .problems
                .push(format!("sequence {name} is missing after restore")),
            Some(r) if r.last_value != s.last_value || r.is_called != s.is_called => {
                report.problems.push(format!(
                    "sequence {name} is at {} after restore, the manifest says {}",
                    r.last_value, s.last_value
                ))
            }
            Some(_) => {}
        }
    }
    sequences_behind(client, &restored_seqs, report).await?;

    let invalid = client
        .query(
            "SELECT i.indexrelid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE NOT i.indisvalid AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
            &[],
        )
        .await
        .map_err(|e| BackupError::query("checking indexes", &e))?;
    for row in invalid {
        report.problems.push(format!(
            "index {} is invalid after restore",
            row.get::<_, String>(0)
        ));
    }

    for check in &options.checks {
        match client.query(check.as_str(), &[]).await {
            Ok(rows) if rows.len() == 1 && rows[0].try_get::<_, bool>(0).unwrap_or(false) => {
                report.checked.push(format!("check passed: {check}"));
            }
            Ok(_) => report
                .problems
                .push(format!("check did not return true: {check}")),
            Err(e) => report.problems.push(format!(
                "check failed: {check}: {}",
                steward_pg::error_text(&e)
            )),
        }
    }
    let _ = client.batch_execute("ROLLBACK").await;
    Ok(())
}

/// A sequence behind the largest value already in its column makes the next INSERT fail with
/// a duplicate key.
async fn sequences_behind(
    client: &tokio_postgres::Client,
    positions: &BTreeMap<(String, String), &crate::manifest::SequenceEntry>,
    report: &mut VerifyReport,
) -> Result<(), BackupError> {
    let owned = client
        .query(include_str!("sql/sequence_columns.sql"), &[])
        .await
        .map_err(|e| BackupError::query("listing sequence columns", &e))?;
    for row in owned {
        let seq = (row.get::<_, String>(0), row.get::<_, String>(1));
        let Some(pos) = positions.get(&seq) else {
            continue;
        };
        let table = qualified(&row.get::<_, String>(2), &row.get::<_, String>(3));
        let column: String = row.get(4);
        let max: Option<i64> = client
            .query_one(
                &format!("SELECT max({})::int8 FROM {table}", quote(&column)),
                &[],
            )
            .await
            .map_err(|e| BackupError::query(&format!("reading max({column}) of {table}"), &e))?
            .get(0);
        let Some(max) = max else { continue };
        // nextval() returns last_value + 1 once called, last_value itself before.
        let next = if pos.is_called {
            pos.last_value + 1
        } else {
            pos.last_value
        };
        if next <= max {
            report.problems.push(format!(
                "sequence {} would hand out {next} but {table}.{column} already holds values up to {max}: the next INSERT fails with a duplicate key (SELECT setval('{}', {max});)",
                qualified(&seq.0, &seq.1),
                qualified(&seq.0, &seq.1).replace('\'', "''")
            ));
        }
    }
    Ok(())
}

fn acl_items(acl: &Option<String>) -> BTreeSet<String> {
    acl.as_deref()
        .unwrap_or("")
        .trim_matches(|c| c == '{' || c == '}')
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| s.trim_matches('"').to_string())
        .collect()
}
