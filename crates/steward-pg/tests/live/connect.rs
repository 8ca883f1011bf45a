//! Connecting like libpq against real servers: sockets, TCP with passwords, ~/.pgpass, PG*
//! variables, every sslmode, and a clear typed error for each way it can fail — never
//! containing the password.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::cluster;
use std::collections::HashMap;
use std::os::unix::fs::PermissionsExt;
use steward_pg::connect::{connect, ConnectError, Params, Safety};
use steward_testkit::{Cluster, Options, SUPERUSER_PASSWORD};

fn resolve(conninfo: &str, env: &[(&str, &str)]) -> Params {
    let env: HashMap<String, String> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Params::resolve(conninfo, &move |k| env.get(k).cloned()).unwrap()
}

async fn try_connect(
    conninfo: &str,
    env: &[(&str, &str)],
) -> Result<steward_pg::connect::Connection, ConnectError> {
    connect(&resolve(conninfo, env), &Safety::default()).await
}

async fn show(conn: &steward_pg::connect::Connection, setting: &str) -> String {
    conn.client
        .query_one(&format!("SHOW {setting}"), &[])
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn sessions_are_named_limited_and_read_only() {
    let conn = try_connect(&cluster().conninfo("postgres"), &[])
        .await
        .unwrap();
    assert_eq!(show(&conn, "application_name").await, "steward");
    assert_eq!(show(&conn, "statement_timeout").await, "30s");
    assert_eq!(show(&conn, "lock_timeout").await, "2s");
    assert_eq!(
        show(&conn, "idle_in_transaction_session_timeout").await,
        "1min"
    );
    assert_eq!(show(&conn, "default_transaction_read_only").await, "on");
    let err = conn
        .client
        .batch_execute("CREATE TABLE steward_must_not_write (id int)")
        .await
        .unwrap_err();
    assert_eq!(
        err.code().map(|c| c.code()),
        Some("25006"),
        "read-only transaction: {err}"
    );
    // Configurable.
    let safety = Safety {
        statement_timeout: std::time::Duration::from_millis(1500),
        ..Safety::default()
    };
    let conn = connect(&resolve(&cluster().conninfo("postgres"), &[]), &safety)
        .await
        .unwrap();
    assert_eq!(show(&conn, "statement_timeout").await, "1500ms");
}

#[tokio::test]
async fn passwords_urls_and_environment() {
    let c = cluster();
    // URL over TCP with the password in it.
    let conn = try_connect(&c.tcp_url("postgres"), &[]).await.unwrap();
    assert_eq!(show(&conn, "ssl").await, "off");
    // PG* variables alone.
    let port = c.port().to_string();
    let env = [
        ("PGHOST", "127.0.0.1"),
        ("PGPORT", port.as_str()),
        ("PGUSER", "postgres"),
        ("PGDATABASE", "postgres"),
        ("PGPASSWORD", SUPERUSER_PASSWORD),
        ("PGSSLMODE", "disable"),
    ];
    try_connect("", &env).await.unwrap();

    // A wrong password: typed, one line, the password nowhere.
    let wrong = format!("postgresql://postgres:hunter2-wrong@127.0.0.1:{port}/postgres");
    let err = try_connect(&wrong, &[])
        .await
        .err()
        .expect("wrong password");
    assert!(matches!(err, ConnectError::WrongPassword { .. }), "{err:?}");
    let text = format!("{err} {err:?}");
    assert!(!text.contains("hunter2"), "{text}");
    assert!(
        text.contains("password authentication failed for user \"postgres\""),
        "{text}"
    );

    // No password at all.
    let none = format!("host=127.0.0.1 port={port} user=postgres dbname=postgres");
    let err = try_connect(&none, &[("HOME", "/nonexistent")])
        .await
        .err()
        .expect("no password");
    assert!(matches!(err, ConnectError::NoPassword { .. }), "{err:?}");
}

#[tokio::test]
async fn pgpass_is_used_only_when_private() {
    let c = cluster();
    let dir = tempfile::tempdir().unwrap();
    let pgpass = dir.path().join("pgpass");
    std::fs::write(
        &pgpass,
        format!(
            "# test\n127.0.0.1:{}:*:postgres:{SUPERUSER_PASSWORD}\n",
            c.port()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).unwrap();
    let conninfo = format!(
        "host=127.0.0.1 port={} user=postgres dbname=postgres",
        c.port()
    );
    let file = pgpass.to_str().unwrap();
    try_connect(&conninfo, &[("PGPASSFILE", file)])
        .await
        .unwrap();
    // libpq ignores a password file others can read; so do we.
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o644)).unwrap();
    let err = try_connect(&conninfo, &[("PGPASSFILE", file)])
        .await
        .err()
        .unwrap();
    assert!(matches!(err, ConnectError::NoPassword { .. }), "{err:?}");
}

#[tokio::test]
async fn unknown_database_and_unreachable_server() {
    let c = cluster();
    let err = try_connect(&c.conninfo("no_such_db"), &[])
        .await
        .err()
        .unwrap();
    assert!(
        matches!(err, ConnectError::UnknownDatabase { .. }),
        "{err:?}"
    );
    assert!(err
        .to_string()
        .contains("database \"no_such_db\" does not exist"));
    // A port nobody listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let err = try_connect(
        &format!("host=127.0.0.1 port={port} user=x password=pw-secret-3 sslmode=disable"),
        &[],
    )
    .await
    .err()
    .unwrap();
    assert!(matches!(err, ConnectError::Unreachable { .. }), "{err:?}");
    assert!(!err.to_string().contains("pw-secret-3"));
    assert!(!err.to_string().contains('\n'), "one line");
}

#[tokio::test]
async fn every_sslmode() {
    let tls = Cluster::start_with(&Options {
        settings: String::new(),
        tls: true,
    })
    .unwrap();
    let plain = cluster();
    let ca = tls.ca_certificate();
    let ca = ca.to_str().unwrap();
    let url = |c: &Cluster, host: &str, extra: &str| {
        format!(
            "host={host} port={} user=postgres password={SUPERUSER_PASSWORD} dbname=postgres {extra}",
            c.port()
        )
    };
    let uses_tls = |conn: steward_pg::connect::Connection| async move {
        conn.client
            .query_one(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                &[],
            )
            .await
            .unwrap()
            .get::<_, bool>(0)
    };
    // libpq's `allow` tries without TLS first; prefer and require use it.
    for (mode, expect_tls) in [
        ("disable", false),
        ("allow", false),
        ("prefer", true),
        ("require", true),
    ] {
        let conn = try_connect(&url(&tls, "127.0.0.1", &format!("sslmode={mode}")), &[])
            .await
            .unwrap();
        assert_eq!(uses_tls(conn).await, expect_tls, "sslmode={mode}");
    }
    let conn = try_connect(
        &url(
            &tls,
            "127.0.0.1",
            &format!("sslmode=verify-ca sslrootcert={ca}"),
        ),
        &[],
    )
    .await
    .unwrap();
    assert!(uses_tls(conn).await);
    let conn = try_connect(
        &url(
            &tls,
            "localhost",
            &format!("sslmode=verify-full sslrootcert={ca}"),
        ),
        &[],
    )
    .await
    .unwrap();
    assert!(uses_tls(conn).await);
    // A server certificate not signed by the trusted roots is refused.
    let err = try_connect(
        &url(&tls, "localhost", "sslmode=verify-full sslrootcert=system"),
        &[],
    )
    .await
    .err()
    .unwrap();
    assert!(matches!(err, ConnectError::Tls { .. }), "{err:?}");
    // Requiring TLS from a server without it is a clear error; prefer falls back.
    let err = try_connect(&url(plain, "127.0.0.1", "sslmode=require"), &[])
        .await
        .err()
        .unwrap();
    assert!(matches!(err, ConnectError::Tls { .. }), "{err:?}");
    let conn = try_connect(&url(plain, "127.0.0.1", "sslmode=prefer"), &[])
        .await
        .unwrap();
    assert!(!uses_tls(conn).await);
}
