//! Throwaway PostgreSQL clusters from the system binaries, for steward's tests, `steward demo`
//! and benchmarks.
//!
//! A [`Cluster`] is `initdb` + `pg_ctl start` in a temporary directory: a free TCP port on
//! 127.0.0.1, a Unix socket in the same directory, `pg_stat_statements` preloaded, durability
//! switched off for speed. Running as root, the server runs as the `postgres` OS user through
//! `runuser` (PostgreSQL refuses to run as root). The cluster is stopped and its directory removed
//! on drop — and, for the process-wide [`Cluster::shared`] cluster that is never dropped, by a
//! small watchdog process that stops it when the test process exits.
//!
//! Each test takes a fresh [`Database`]; [`Session`]s hold connections open in the background
//! (an idle transaction, a held lock) so scenarios can create real problems.
//!
//! Everything here is synchronous and uses `psql`, so it works from any test, async or not.

mod scenario;

pub use scenario::Session;

use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The superuser's password for TCP connections (Unix-socket connections are trusted).
pub const SUPERUSER_PASSWORD: &str = "steward-test-superuser";

/// Why a cluster could not be started or used.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "PostgreSQL server binaries not found (looked at $STEWARD_PG_BINDIR, `pg_config --bindir` and /usr/lib/postgresql/*/bin); install them, e.g. `apt-get install postgresql postgresql-contrib`"
    )]
    BinariesNotFound,
    #[error("running as root, but there is no `postgres` OS user to run the server as (install the postgresql package, or run as a normal user)")]
    NoPostgresUser,
    #[error("{what} failed: {detail}")]
    Command { what: String, detail: String },
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("timed out after {0:?} waiting for {1}")]
    Timeout(Duration, String),
}

/// How to start a cluster beyond the defaults.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// postgresql.conf lines appended after the test kit's own (later lines win).
    pub settings: String,
    /// Serve TLS with a certificate for localhost/127.0.0.1 signed by a throwaway CA
    /// ([`Cluster::ca_certificate`]).
    pub tls: bool,
}

/// A temporary directory the server's OS user can write (a WAL archive, say): owned by
/// `postgres` when we run as root.
pub fn server_writable_dir(prefix: &str) -> Result<tempfile::TempDir, Error> {
    let dir = tempfile::Builder::new().prefix(prefix).tempdir()?;
    if is_root() {
        let (uid, gid) = postgres_user().ok_or(Error::NoPostgresUser)?;
        std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid))?;
    }
    Ok(dir)
}

/// A running throwaway cluster.
#[derive(Debug)]
pub struct Cluster {
    bindir: PathBuf,
    /// Holds data/, the socket and the log; removed on drop.
    dir: Option<tempfile::TempDir>,
    port: u16,
    /// `Some(uid, gid)` of the `postgres` user when we run as root.
    run_as: Option<(u32, u32)>,
    version: u32,
}

impl Cluster {
    /// Starts a new cluster (about a second: initdb dominates).
    pub fn start() -> Result<Cluster, Error> {
        Cluster::start_with(&Options::default())
    }

    /// Starts a new cluster with extra settings and, optionally, TLS.
    pub fn start_with(options: &Options) -> Result<Cluster, Error> {
        let bindir = find_bindir().ok_or(Error::BinariesNotFound)?;
        let run_as = if is_root() {
            Some(postgres_user().ok_or(Error::NoPostgresUser)?)
        } else {
            None
        };
        let dir = tempfile::Builder::new().prefix("steward-pg-").tempdir()?;
        if let Some((uid, gid)) = run_as {
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid))?;
        }
        let mut cluster = Cluster {
            bindir,
            dir: Some(dir),
            port: free_port()?,
            run_as,
            version: 0,
        };
        let mut conf = options.settings.clone();
        if options.tls {
            conf.push_str(&cluster.make_certificates()?);
        }
        cluster.init(&conf)?;
        cluster.version = cluster.server_version_num()? / 10000;
        Ok(cluster)
    }

    /// A base backup of this cluster (pg_basebackup, WAL streamed), as a cluster that is not
    /// running yet: configure it, then [`Cluster::start_recovery`].
    pub fn base_backup(&self) -> Result<Cluster, Error> {
        let copy = self.empty_sibling("steward-pg-restore-")?;
        run(
            self.command("pg_basebackup")
                .arg("-D")
                .arg(copy.data_dir())
                .arg("-h")
                .arg(self.socket_dir())
                .args(["-p", &self.port.to_string(), "-U", "postgres"])
                .args(["-X", "stream", "-c", "fast", "--no-sync"]),
            "pg_basebackup",
        )?;
        Ok(copy)
    }

    /// Starts a base backup in archive recovery: `settings` (restore_command, a recovery
    /// target…) are appended to its configuration and `recovery.signal` is created. Returns once
    /// it accepts connections.
    pub fn start_recovery(&self, settings: &str) -> Result<(), Error> {
        let conf = format!(
            "\n# steward-testkit recovery\nport = {}\nunix_socket_directories = '{}'\narchive_mode = off\n{settings}\n",
            self.port,
            self.socket_dir().display()
        );
        std::fs::OpenOptions::new()
            .append(true)
            .open(self.data_dir().join("postgresql.conf"))?
            .write_all(conf.as_bytes())?;
        let signal = self.data_dir().join("recovery.signal");
        std::fs::write(&signal, "")?;
        if let Some((uid, gid)) = self.run_as {
            std::os::unix::fs::chown(&signal, Some(uid), Some(gid))?;
        }
        self.pg_ctl_start()
    }

    /// A new cluster directory next to this one (same binaries, OS user and version), empty.
    fn empty_sibling(&self, prefix: &str) -> Result<Cluster, Error> {
        Ok(Cluster {
            bindir: self.bindir.clone(),
            dir: Some(server_writable_dir(prefix)?),
            port: free_port()?,
            run_as: self.run_as,
            version: self.version,
        })
    }

    /// Starts a streaming standby of this cluster (pg_basebackup -R), on its own port.
    pub fn start_standby(&self) -> Result<Cluster, Error> {
        let dir = tempfile::Builder::new()
            .prefix("steward-pg-standby-")
            .tempdir()?;
        if let Some((uid, gid)) = self.run_as {
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid))?;
        }
        let standby = Cluster {
            bindir: self.bindir.clone(),
            dir: Some(dir),
            port: free_port()?,
            run_as: self.run_as,
            version: self.version,
        };
        run(
            self.command("pg_basebackup")
                .arg("-D")
                .arg(standby.data_dir())
                .arg("-h")
                .arg(self.socket_dir())
                .args(["-p", &self.port.to_string(), "-U", "postgres"])
                .args(["-R", "-X", "stream", "-c", "fast", "--no-sync"]),
            "pg_basebackup",
        )?;
        let conf = format!(
            "\n# steward-testkit standby\nport = {}\nunix_socket_directories = '{}'\nhot_standby = on\n",
            standby.port,
            standby.socket_dir().display()
        );
        std::fs::OpenOptions::new()
            .append(true)
            .open(standby.data_dir().join("postgresql.conf"))?
            .write_all(conf.as_bytes())?;
        standby.pg_ctl_start()?;
        Ok(standby)
    }

    /// A self-signed CA and a server certificate for `localhost`/127.0.0.1 signed by it, in
    /// the cluster directory; returns the settings that enable TLS.
    fn make_certificates(&self) -> Result<String, Error> {
        let dir = self.dir().to_path_buf();
        let openssl = |args: &[&str]| {
            run(
                Command::new("openssl").args(args).current_dir(&dir),
                &format!("openssl {}", args.first().copied().unwrap_or_default()),
            )
        };
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=steward-test-ca",
            "-keyout",
            "ca.key",
            "-out",
            "ca.crt",
        ])?;
        openssl(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=localhost",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
        ])?;
        std::fs::write(
            dir.join("san.ext"),
            "subjectAltName=DNS:localhost,IP:127.0.0.1\n",
        )?;
        openssl(&[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "san.ext",
            "-out",
            "server.crt",
        ])?;
        let key = dir.join("server.key");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600))?;
        if let Some((uid, gid)) = self.run_as {
            for f in ["server.key", "server.crt", "ca.crt"] {
                std::os::unix::fs::chown(dir.join(f), Some(uid), Some(gid))?;
            }
        }
        Ok(format!(
            "ssl = on\nssl_cert_file = '{}'\nssl_key_file = '{}'\n",
            dir.join("server.crt").display(),
            key.display()
        ))
    }

    /// The CA certificate that signed a TLS cluster's server certificate.
    pub fn ca_certificate(&self) -> PathBuf {
        self.dir().join("ca.crt")
    }

    /// One cluster per test process, started on first use and stopped when the process exits.
    /// Tests that need a whole cluster to themselves (settings, restarts) use [`Cluster::start`].
    pub fn shared() -> Result<&'static Cluster, String> {
        static SHARED: OnceLock<Result<Cluster, String>> = OnceLock::new();
        SHARED
            .get_or_init(|| {
                let cluster = Cluster::start().map_err(|e| e.to_string())?;
                cluster.watch_parent().map_err(|e| e.to_string())?;
                Ok(cluster)
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    fn dir(&self) -> &Path {
        // Only `None` while dropping.
        self.dir
            .as_ref()
            .map_or(Path::new("/nonexistent"), |d| d.path())
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir().join("data")
    }

    /// The directory holding the Unix socket (use it as `host`).
    pub fn socket_dir(&self) -> &Path {
        self.dir()
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The server's major version, e.g. 15.
    pub fn major_version(&self) -> u32 {
        self.version
    }

    pub fn bindir(&self) -> &Path {
        &self.bindir
    }

    /// Runs a server binary (initdb, pg_ctl, pgbench, pg_dump…) as the server's OS user.
    pub fn command(&self, program: &str) -> Command {
        let path = self.bindir.join(program);
        match self.run_as {
            Some(_) => {
                let mut c = Command::new("runuser");
                c.args(["-u", "postgres", "--"]).arg(path);
                c
            }
            None => Command::new(path),
        }
    }

    fn init(&self, extra_conf: &str) -> Result<(), Error> {
        let pwfile = self.dir().join("pwfile");
        std::fs::write(&pwfile, SUPERUSER_PASSWORD)?;
        if let Some((uid, gid)) = self.run_as {
            std::os::unix::fs::chown(&pwfile, Some(uid), Some(gid))?;
        }
        let data = self.data_dir();
        run(
            self.command("initdb")
                .arg("-D")
                .arg(&data)
                .args([
                    "-U",
                    "postgres",
                    "--auth-local=trust",
                    "--auth-host=scram-sha-256",
                ])
                .args(["-E", "UTF8", "--locale=C", "--no-sync"])
                .arg(format!("--pwfile={}", pwfile.display())),
            "initdb",
        )?;
        let conf = format!(
            "\n# steward-testkit\nport = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{sock}'\n\
             shared_preload_libraries = 'pg_stat_statements'\npg_stat_statements.track = all\n\
             fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n\
             max_connections = 200\nshared_buffers = 128MB\nlogging_collector = off\n\
             track_io_timing = on\nmax_prepared_transactions = 10\n\
             client_connection_check_interval = 1000\n{extra_conf}",
            port = self.port,
            sock = self.socket_dir().display(),
        );
        std::fs::OpenOptions::new()
            .append(true)
            .open(data.join("postgresql.conf"))?
            .write_all(conf.as_bytes())?;
        self.pg_ctl_start()
    }

    fn pg_ctl_start(&self) -> Result<(), Error> {
        let data = self.data_dir();
        run(
            self.command("pg_ctl")
                .arg("-D")
                .arg(&data)
                .arg("-l")
                .arg(self.dir().join("server.log"))
                .args(["-w", "-t", "60", "start"]),
            "pg_ctl start",
        )
        .map_err(|e| match e {
            Error::Command { what, detail } => Error::Command {
                what,
                detail: format!("{detail}\nserver log:\n{}", self.log_tail()),
            },
            other => other,
        })?;
        Ok(())
    }

    /// The last lines of the server log (for failure messages).
    pub fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.dir().join("server.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }

    /// Spawns a watchdog that stops the cluster and removes its directory once this process is
    /// gone (statics are never dropped).
    pub fn watch_parent(&self) -> Result<(), Error> {
        let pg_ctl = self.bindir.join("pg_ctl");
        let stop = match self.run_as {
            Some(_) => format!("runuser -u postgres -- '{}'", pg_ctl.display()),
            None => format!("'{}'", pg_ctl.display()),
        };
        let script = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 1; done; {stop} -D '{data}' -m immediate stop >/dev/null 2>&1; rm -rf '{dir}'",
            pid = std::process::id(),
            data = self.data_dir().display(),
            dir = self.dir().display(),
        );
        Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        Ok(())
    }

    /// A libpq key=value connection string for `dbname` over the Unix socket, as the superuser.
    pub fn conninfo(&self, dbname: &str) -> String {
        format!(
            "host={} port={} user=postgres dbname={dbname}",
            self.socket_dir().display(),
            self.port
        )
    }

    /// A `postgresql://` URL for `dbname` over TCP with the superuser's password.
    pub fn tcp_url(&self, dbname: &str) -> String {
        format!(
            "postgresql://postgres:{SUPERUSER_PASSWORD}@127.0.0.1:{}/{dbname}",
            self.port
        )
    }

    /// A new, empty database with a unique name.
    pub fn create_database(&self, prefix: &str) -> Result<Database<'_>, Error> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "{}_{}_{}",
            prefix
                .to_ascii_lowercase()
                .replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        self.psql(
            "postgres",
            &format!("CREATE DATABASE \"{name}\" TEMPLATE template0"),
        )?;
        Ok(Database {
            cluster: self,
            name,
        })
    }

    /// Runs SQL with psql (stops at the first error) and returns its unaligned, tuples-only
    /// output.
    pub fn psql(&self, dbname: &str, sql: &str) -> Result<String, Error> {
        let mut cmd = self.psql_command(dbname);
        cmd.arg("-c").arg(sql);
        run(&mut cmd, &format!("psql `{}`", abbreviate(sql)))
    }

    fn psql_command(&self, dbname: &str) -> Command {
        let mut cmd = Command::new(self.bindir.join("psql"));
        cmd.args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"])
            .arg("-h")
            .arg(self.socket_dir())
            .args(["-p", &self.port.to_string(), "-U", "postgres", "-d", dbname])
            .env_remove("PGPASSWORD")
            .env_remove("PGSERVICE");
        cmd
    }

    fn server_version_num(&self) -> Result<u32, Error> {
        let out = self.psql("postgres", "SHOW server_version_num")?;
        out.trim().parse().map_err(|_| Error::Command {
            what: "SHOW server_version_num".into(),
            detail: out,
        })
    }

    fn stop(&self) {
        let _ = self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.data_dir())
            .args(["-m", "immediate", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
        // TempDir's own drop removes the directory.
        self.dir.take();
    }
}

/// A database in a [`Cluster`].
#[derive(Debug)]
pub struct Database<'c> {
    pub cluster: &'c Cluster,
    pub name: String,
}

impl Database<'_> {
    /// key=value connection string (Unix socket, superuser).
    pub fn conninfo(&self) -> String {
        self.cluster.conninfo(&self.name)
    }

    /// Runs SQL (several statements allowed); returns psql's unaligned output.
    pub fn exec(&self, sql: &str) -> Result<String, Error> {
        self.cluster.psql(&self.name, sql)
    }

    /// Runs a query expected to return one value.
    pub fn value(&self, sql: &str) -> Result<String, Error> {
        Ok(self.exec(sql)?.trim().to_string())
    }

    /// Loads a SQL file with psql (as `psql -f` would, stopping at the first error).
    pub fn load_file(&self, path: &Path) -> Result<(), Error> {
        let mut cmd = self.cluster.psql_command(&self.name);
        cmd.arg("-f").arg(path);
        run(&mut cmd, &format!("psql -f {}", path.display())).map(drop)
    }

    /// Runs a SQL file statement by statement without stopping at errors; returns the server's
    /// error messages (`ERROR:  …` lines with their file positions).
    pub fn run_file_collecting_errors(&self, path: &Path) -> Result<Vec<String>, Error> {
        let out = self
            .cluster
            .psql_command(&self.name)
            .args(["-v", "ON_ERROR_STOP=0", "-f"])
            .arg(path)
            .stdin(Stdio::null())
            .output()?;
        Ok(String::from_utf8_lossy(&out.stderr)
            .lines()
            .filter(|l| l.contains("ERROR:"))
            .map(str::to_string)
            .collect())
    }

    /// Opens a background session (a psql process kept alive until dropped).
    pub fn session(&self) -> Result<Session, Error> {
        Session::open(self.cluster.psql_command(&self.name))
    }

    /// Polls `sql` (a boolean query) until it returns true.
    pub fn wait_until(&self, sql: &str, timeout: Duration) -> Result<(), Error> {
        let start = Instant::now();
        loop {
            if self.value(sql)? == "t" {
                return Ok(());
            }
            if start.elapsed() > timeout {
                return Err(Error::Timeout(timeout, abbreviate(sql)));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn run(cmd: &mut Command, what: &str) -> Result<String, Error> {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.stdin(Stdio::null()).output()?;
    if status.success() {
        Ok(String::from_utf8_lossy(&stdout).into_owned())
    } else {
        Err(Error::Command {
            what: what.to_string(),
            detail: format!("{status}: {}", String::from_utf8_lossy(&stderr).trim()),
        })
    }
}

fn abbreviate(sql: &str) -> String {
    let one_line = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &one_line[..i]),
        None => one_line,
    }
}

fn find_bindir() -> Option<PathBuf> {
    let has_server = |d: &Path| d.join("initdb").is_file() && d.join("pg_ctl").is_file();
    if let Some(dir) = std::env::var_os("STEWARD_PG_BINDIR") {
        return Some(PathBuf::from(dir)).filter(|d| has_server(d));
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if out.status.success() && has_server(&dir) {
            return Some(dir);
        }
    }
    // Debian/Ubuntu keep each major version apart; take the newest.
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| {
            let e = e.ok()?;
            let v = e.file_name().to_str()?.parse().ok()?;
            Some((v, e.path().join("bin")))
        })
        .filter(|(_, d)| has_server(d))
        .collect();
    versions.sort();
    versions.pop().map(|(_, d)| d)
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false)
}

fn postgres_user() -> Option<(u32, u32)> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let f: Vec<&str> = line.split(':').collect();
        (f.first() == Some(&"postgres") && f.len() > 3)
            .then(|| Some((f[2].parse().ok()?, f[3].parse().ok()?)))
            .flatten()
    })
}

fn free_port() -> Result<u16, Error> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}
