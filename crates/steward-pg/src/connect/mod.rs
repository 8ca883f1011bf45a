//! Connecting to PostgreSQL the way `psql` does (see [`params`]), safely: every session is
//! `application_name=steward`, has statement, lock and idle-in-transaction timeouts, and
//! defaults to read-only transactions. Errors are one line, typed, and never contain the
//! password.

pub mod params;
mod tls;

pub use params::{Params, SslMode};
use std::time::Duration;

/// Why a connection could not be made (each maps to exit code 2 in the CLI).
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("{0}")]
    Invalid(String),
    #[error("cannot reach the server at {target}: {reason}")]
    Unreachable { target: String, reason: String },
    #[error("password authentication failed for user \"{user}\" at {target}")]
    WrongPassword { user: String, target: String },
    #[error("the server at {target} asks for a password for user \"{user}\" and none was given (use PGPASSWORD, ~/.pgpass or the URL)")]
    NoPassword { user: String, target: String },
    #[error("database \"{dbname}\" does not exist at {target}")]
    UnknownDatabase { dbname: String, target: String },
    #[error("the server at {target} refused the connection: {reason}")]
    Rejected { target: String, reason: String },
    #[error("TLS with {target} failed: {reason}")]
    Tls { target: String, reason: String },
}

/// Session settings that keep an inspection harmless on a busy server.
#[derive(Debug, Clone)]
pub struct Safety {
    pub statement_timeout: Duration,
    pub lock_timeout: Duration,
    pub idle_in_transaction_timeout: Duration,
    /// `default_transaction_read_only=on`. Off only for commands that exist to change things
    /// (creating and dropping a scratch database to verify a backup), which say so.
    pub read_only: bool,
}

impl Default for Safety {
    fn default() -> Self {
        Safety {
            statement_timeout: Duration::from_secs(30),
            lock_timeout: Duration::from_secs(2),
            idle_in_transaction_timeout: Duration::from_secs(60),
            read_only: true,
        }
    }
}

/// An open connection; the driver's background task ends when this is dropped.
pub struct Connection {
    pub client: tokio_postgres::Client,
    pub params: Params,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Connects with resolved parameters.
pub async fn connect(params: &Params, safety: &Safety) -> Result<Connection, ConnectError> {
    // libpq's `allow`: plain first, TLS only if the server turns the plain attempt away.
    if params.sslmode == SslMode::Allow && !params.is_socket() {
        let plain = Params {
            sslmode: SslMode::Disable,
            ..params.clone()
        };
        return match connect_once(&plain, safety).await {
            Err(ConnectError::Rejected { .. }) => {
                let tls = Params {
                    sslmode: SslMode::Prefer,
                    ..params.clone()
                };
                connect_once(&tls, safety).await
            }
            other => other,
        };
    }
    connect_once(params, safety).await
}

async fn connect_once(params: &Params, safety: &Safety) -> Result<Connection, ConnectError> {
    let mut config = tokio_postgres::Config::new();
    config
        .host(&params.host)
        .port(params.port)
        .user(&params.user)
        .dbname(&params.dbname)
        .application_name("steward");
    if let Some(p) = &params.password {
        config.password(p);
    }
    if let Some(t) = params.connect_timeout {
        config.connect_timeout(t);
    } else {
        config.connect_timeout(Duration::from_secs(10));
    }
    let ms = |d: Duration| d.as_millis();
    let mut options = format!(
        // jit=off: catalog queries are many small expressions, which JIT compiles for longer
        // than they run (1.1 s instead of 0.1 s for the indexes of 1,000 tables).
        "-c statement_timeout={} -c lock_timeout={} -c idle_in_transaction_session_timeout={} -c default_transaction_read_only={} -c jit=off",
        ms(safety.statement_timeout),
        ms(safety.lock_timeout),
        ms(safety.idle_in_transaction_timeout),
        if safety.read_only { "on" } else { "off" }
    );
    if let Some(extra) = &params.options {
        options = format!("{extra} {options}");
    }
    config.options(&options);
    let target = params.to_string();
    // TLS does not apply to Unix sockets.
    let mode = if params.is_socket() {
        SslMode::Disable
    } else {
        params.sslmode
    };
    let result = match mode {
        SslMode::Disable => {
            config.ssl_mode(tokio_postgres::config::SslMode::Disable);
            config
                .connect(tokio_postgres::NoTls)
                .await
                .map(|(c, conn)| (c, spawn(conn)))
        }
        mode => {
            config.ssl_mode(match mode {
                SslMode::Allow | SslMode::Prefer => tokio_postgres::config::SslMode::Prefer,
                _ => tokio_postgres::config::SslMode::Require,
            });
            let tls = tls::connector(params, mode).map_err(|reason| ConnectError::Tls {
                target: target.clone(),
                reason,
            })?;
            config.connect(tls).await.map(|(c, conn)| (c, spawn(conn)))
        }
    };
    match result {
        Ok((client, task)) => Ok(Connection {
            client,
            params: params.clone(),
            task,
        }),
        Err(e) => Err(classify(&e, params, &target)),
    }
}

fn spawn<S, T>(connection: tokio_postgres::Connection<S, T>) -> tokio::task::JoinHandle<()>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    tokio::spawn(async move {
        // Errors surface on the client's next query.
        let _ = connection.await;
    })
}

/// Turns a driver error into a one-line, typed error.
fn classify(e: &tokio_postgres::Error, params: &Params, target: &str) -> ConnectError {
    let target = target.to_string();
    if let Some(db) = e.as_db_error() {
        return match db.code().code() {
            "28P01" => ConnectError::WrongPassword {
                user: params.user.clone(),
                target,
            },
            "3D000" => ConnectError::UnknownDatabase {
                dbname: params.dbname.clone(),
                target,
            },
            _ => ConnectError::Rejected {
                target,
                reason: db.message().to_string(),
            },
        };
    }
    let text = full_text(e);
    if text.contains("password missing") {
        return ConnectError::NoPassword {
            user: params.user.clone(),
            target,
        };
    }
    if text.contains("server does not support TLS")
        || text.contains("certificate")
        || text.contains("tls")
        || text.contains("TLS")
    {
        return ConnectError::Tls {
            target,
            reason: text,
        };
    }
    ConnectError::Unreachable {
        target,
        reason: text,
    }
}

/// The error with its causes, one line.
fn full_text(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        let t = s.to_string();
        if !parts.iter().any(|p| p.contains(&t)) {
            parts.push(t);
        }
        source = s.source();
    }
    parts.join(": ")
}
