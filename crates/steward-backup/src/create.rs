//! `steward backup create`.

use crate::manifest::{FileEntry, Manifest, SequenceEntry, Source, TableEntry, FORMAT, MANIFEST};
use crate::{libpq_env, qualified, sha256_file, BackupError, Tools};
use std::io::{BufRead, BufReader, IsTerminal, Write};
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use steward_pg::connect::{self, Params, Safety};
use tokio_postgres::Client;

#[derive(Debug, Clone)]
pub struct CreateOptions {
    /// A new directory; created with mode 0700. It must not exist or be empty.
    pub out: PathBuf,
    /// pg_dump `-j`.
    pub jobs: u32,
    /// Also `pg_dumpall --globals-only --no-role-passwords` (roles and their memberships).
    pub globals: bool,
    /// Per-table content checksums (reads every row once more).
    pub deep: bool,
    pub tools: Tools,
    /// Show progress on stderr (when it is a terminal).
    pub progress: bool,
    /// age public keys (`age1…`) to encrypt the dump files to; empty: not encrypted.
    pub encrypt_to: Vec<String>,
}

/// Dumps the database `params` points at into `options.out` and writes the manifest.
pub async fn create(params: &Params, options: &CreateOptions) -> Result<Manifest, BackupError> {
    let out = &options.out;
    prepare_dir(out)?;
    let result = dump(params, options).await;
    if result.is_err() {
        // Nothing half-written may be left looking like a backup.
        let _ = std::fs::remove_dir_all(out);
    }
    result
}

fn prepare_dir(out: &Path) -> Result<(), BackupError> {
    if out.exists() {
        let empty = std::fs::read_dir(out)
            .map_err(|e| BackupError::io(out, e))?
            .next()
            .is_none();
        if !empty {
            return Err(BackupError::Invalid(format!(
                "{} exists and is not empty; steward never writes over a backup",
                out.display()
            )));
        }
        std::fs::set_permissions(out, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| BackupError::io(out, e))?;
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(out)
        .map_err(|e| BackupError::io(out, e))
}

async fn dump(params: &Params, options: &CreateOptions) -> Result<Manifest, BackupError> {
    let recipients = crate::crypt::parse_recipients(&options.encrypt_to)?;
    let safety = Safety {
        // Exact counts of large tables take as long as they take; waiting on locks does not.
        statement_timeout: Duration::ZERO,
        lock_timeout: Duration::from_secs(30),
        idle_in_transaction_timeout: Duration::ZERO,
        read_only: true,
    };
    let conn = connect::connect(params, &safety).await?;
    let client = &conn.client;
    client
        .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .await
        .map_err(|e| BackupError::query("starting the snapshot transaction", &e))?;
    let row = client
        .query_one(
            "SELECT pg_export_snapshot(), now()::text, current_setting('server_version'), \
             current_setting('server_version_num')::int4, pg_database_size(current_database())",
            &[],
        )
        .await
        .map_err(|e| BackupError::query("exporting a snapshot", &e))?;
    let snapshot: String = row.get(0);
    let server_major = row.get::<_, i32>(3) as u32 / 10000;
    let dump_major = options.tools.major_version("pg_dump")?;
    if dump_major < server_major {
        return Err(BackupError::Tool(format!(
            "pg_dump is version {dump_major} but the server is {server_major}; pg_dump must be at least the server's major version (install postgresql-client-{server_major} or pass --pg-bin)"
        )));
    }
    let mut manifest = Manifest {
        format: FORMAT,
        steward_version: env!("CARGO_PKG_VERSION").to_string(),
        created_at: row.get(1),
        server_version: row.get(2),
        server_version_num: row.get::<_, i32>(3) as u32,
        source: Source {
            host: params.host.clone(),
            port: params.port,
            dbname: params.dbname.clone(),
            user: params.user.clone(),
        },
        database_bytes: row.get(4),
        schema_fingerprint: fingerprint(client).await?,
        tables: Vec::new(),
        sequences: Vec::new(),
        globals: options.globals,
        deep: options.deep,
        encrypted: !recipients.is_empty(),
        files: Vec::new(),
    };
    let (tables, sequences) = contents(client, options.deep).await?;
    manifest.tables = tables;
    manifest.sequences = sequences;

    run_pg_dump(params, options, &snapshot, manifest.tables.len())?;
    if options.globals {
        run_globals(params, options)?;
    }
    client
        .batch_execute("ROLLBACK")
        .await
        .map_err(|e| BackupError::query("ending the snapshot transaction", &e))?;

    if !recipients.is_empty() {
        // pg_dump writes plaintext into the private (0700) directory; each file is replaced by
        // its encrypted form before the manifest makes the backup count as complete.
        for file in hash_files(&options.out)? {
            crate::crypt::encrypt_in_place(&options.out.join(&file.path), &recipients)?;
        }
    }
    manifest.files = hash_files(&options.out)?;
    let tmp = options.out.join(format!("{MANIFEST}.tmp"));
    let text =
        serde_json::to_string_pretty(&manifest).map_err(|e| BackupError::Invalid(e.to_string()))?;
    write_private(&tmp, text.as_bytes())?;
    std::fs::rename(&tmp, options.out.join(MANIFEST)).map_err(|e| BackupError::io(&tmp, e))?;
    Ok(manifest)
}

/// SHA-256 of the sorted schema description.
pub(crate) async fn fingerprint(client: &Client) -> Result<String, BackupError> {
    use sha2::Digest;
    let rows = client
        .query(include_str!("sql/fingerprint.sql"), &[])
        .await
        .map_err(|e| BackupError::query("describing the schema", &e))?;
    let mut hasher = sha2::Sha256::new();
    for row in rows {
        let line: String = row.get(0);
        hasher.update(line.as_bytes());
        hasher.update(b"\n");
    }
    Ok(crate::hex(&hasher.finalize()))
}

/// Exact row counts (and checksums) of every table and the position of every sequence.
pub(crate) async fn contents(
    client: &Client,
    deep: bool,
) -> Result<(Vec<TableEntry>, Vec<SequenceEntry>), BackupError> {
    let rows = client
        .query(include_str!("sql/tables.sql"), &[])
        .await
        .map_err(|e| BackupError::query("listing tables", &e))?;
    let mut tables = Vec::new();
    let mut sequences = Vec::new();
    for row in rows {
        let kind: String = row.get(0);
        let schema: String = row.get(1);
        let name: String = row.get(2);
        let q = qualified(&schema, &name);
        if kind == "sequence" {
            let r = client
                .query_one(&format!("SELECT last_value, is_called FROM {q}"), &[])
                .await
                .map_err(|e| BackupError::query(&format!("reading sequence {q}"), &e))?;
            sequences.push(SequenceEntry {
                schema,
                name,
                last_value: r.get(0),
                is_called: r.get(1),
            });
            continue;
        }
        let count: i64 = client
            .query_one(&format!("SELECT count(*) FROM ONLY {q}"), &[])
            .await
            .map_err(|e| BackupError::query(&format!("counting rows of {q}"), &e))?
            .get(0);
        let checksum = if deep {
            Some(table_checksum(client, &q).await?)
        } else {
            None
        };
        tables.push(TableEntry {
            schema,
            name,
            rows: count,
            acl: row.get(3),
            checksum,
        });
    }
    Ok((tables, sequences))
}

/// md5 over the sorted md5s of the rows' text: independent of physical row order.
pub(crate) async fn table_checksum(client: &Client, table: &str) -> Result<String, BackupError> {
    client
        .query_one(
            &format!(
                "SELECT md5(coalesce(string_agg(h, '' ORDER BY h), '')) FROM (SELECT md5(t::text) AS h FROM ONLY {table} t) s"
            ),
            &[],
        )
        .await
        .map(|r| r.get(0))
        .map_err(|e| BackupError::query(&format!("checksumming {table}"), &e))
}

fn run_pg_dump(
    params: &Params,
    options: &CreateOptions,
    snapshot: &str,
    tables: usize,
) -> Result<(), BackupError> {
    let mut cmd = options.tools.command("pg_dump");
    cmd.args(["--format=directory", "--no-password", "--verbose"])
        .arg(format!("--jobs={}", options.jobs.max(1)))
        .arg(format!("--snapshot={snapshot}"))
        .arg("--lock-wait-timeout=30s")
        .arg(format!("--file={}", options.out.join("dump").display()))
        .envs(libpq_env(params))
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .map_err(|e| BackupError::Tool(format!("cannot run pg_dump: {e}")))?;
    let show = options.progress && std::io::stderr().is_terminal();
    let mut errors = Vec::new();
    let mut done = 0usize;
    if let Some(stderr) = child.stderr.take() {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("finished item") && line.contains("TABLE DATA") {
                done += 1;
                if show {
                    eprint!("\rsteward backup: dumped {done}/{tables} tables");
                    let _ = std::io::stderr().flush();
                }
            } else if line.contains("error") || line.contains("FATAL") || line.contains("ERROR") {
                errors.push(line);
            }
        }
    }
    if show {
        eprintln!();
    }
    let status = child
        .wait()
        .map_err(|e| BackupError::Tool(format!("pg_dump: {e}")))?;
    if !status.success() {
        return Err(BackupError::Tool(format!(
            "pg_dump failed ({status}); nothing was kept: {}",
            if errors.is_empty() {
                "no error message".to_string()
            } else {
                errors.join(" | ")
            }
        )));
    }
    Ok(())
}

fn run_globals(params: &Params, options: &CreateOptions) -> Result<(), BackupError> {
    let file = options.out.join("globals.sql");
    let out = options
        .tools
        .command("pg_dumpall")
        .args(["--globals-only", "--no-role-passwords", "--no-password"])
        .arg(format!("--database={}", params.dbname))
        .arg(format!("--file={}", file.display()))
        .envs(libpq_env(params))
        .output()
        .map_err(|e| BackupError::Tool(format!("cannot run pg_dumpall: {e}")))?;
    if !out.status.success() {
        return Err(BackupError::Tool(format!(
            "pg_dumpall --globals-only failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
                .trim()
                .replace('\n', " | ")
        )));
    }
    Ok(())
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), BackupError> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| BackupError::io(path, e))?;
    f.write_all(bytes).map_err(|e| BackupError::io(path, e))
}

/// Every file under `dir` but the manifest, made private (0600, directories 0700), hashed.
pub(crate) fn hash_files(dir: &Path) -> Result<Vec<FileEntry>, BackupError> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).map_err(|e| BackupError::io(&d, e))? {
            let entry = entry.map_err(|e| BackupError::io(&d, e))?;
            let path = entry.path();
            let meta = entry.metadata().map_err(|e| BackupError::io(&path, e))?;
            let mode = if meta.is_dir() { 0o700 } else { 0o600 };
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode))
                .map_err(|e| BackupError::io(&path, e))?;
            if meta.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = relative(dir, &path);
            if rel == MANIFEST || rel.ends_with(".tmp") {
                continue;
            }
            let (sha256, bytes) = sha256_file(&path)?;
            files.push(FileEntry {
                path: rel,
                bytes,
                sha256,
            });
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

pub(crate) fn relative(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}
