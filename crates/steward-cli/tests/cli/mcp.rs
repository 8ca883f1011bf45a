#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `steward mcp` end to end with real MCP clients: the official Python SDK over stdio and
//! streamable HTTP (with a bearer token), and the MCP Inspector CLI over stdio. The clients
//! are installed by scripts/test.sh (a venv and an npm prefix under target/mcp-clients);
//! under CI=true a client that is not installed fails the test.

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;
use steward_testkit::{Cluster, Database};

fn cluster() -> &'static Cluster {
    Cluster::shared().unwrap_or_else(|e| panic!("cannot start PostgreSQL: {e}"))
}

fn clients_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/mcp-clients")
}

/// A client program, or `None` (a loud note) outside CI; under CI=true a missing client fails.
fn client(path: PathBuf, what: &str) -> Option<PathBuf> {
    if path.exists() {
        return Some(path);
    }
    let message = format!(
        "{what} not installed at {} (scripts/test.sh installs it)",
        path.display()
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{message}");
    }
    eprintln!("NOT RUN: {message}");
    None
}

fn python() -> Option<PathBuf> {
    let path = std::env::var_os("STEWARD_MCP_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| clients_dir().join("venv/bin/python"));
    client(path, "the MCP Python SDK (pip install mcp)")
}

fn inspector() -> Option<PathBuf> {
    client(
        clients_dir().join("node/node_modules/.bin/mcp-inspector"),
        "the MCP Inspector (npm install @modelcontextprotocol/inspector)",
    )
}

const CLIENT_PY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../steward-mcp/tests/mcp/client.py"
);

/// A small bank and its least-privilege role; returns the role's connection string.
fn bank(prefix: &str) -> (Database<'static>, String) {
    let db = cluster().create_database(prefix).unwrap();
    db.exec(
        "CREATE TABLE accounts (id serial PRIMARY KEY, owner text NOT NULL, email text, balance numeric(12,2) NOT NULL DEFAULT 0);
         CREATE TABLE transfers (id serial PRIMARY KEY, from_account int REFERENCES accounts, amount numeric);
         INSERT INTO accounts (owner, email, balance)
           SELECT 'owner' || i, 'user' || i || '@example.com', i FROM generate_series(1, 50) i;",
    )
    .unwrap();
    let role = format!("{}_mcp", db.name);
    db.exec(&format!(
        "CREATE ROLE \"{role}\" LOGIN; REVOKE CREATE ON SCHEMA public FROM PUBLIC;
         GRANT USAGE ON SCHEMA public TO \"{role}\"; GRANT SELECT ON ALL TABLES IN SCHEMA public TO \"{role}\";"
    ))
    .unwrap();
    let conninfo = db
        .conninfo()
        .replace("user=postgres", &format!("user={role}"));
    (db, conninfo)
}

/// Checks what the Python client printed.
fn check_python_run(stdout: &[u8], transport: &str) {
    let out: Value = serde_json::from_slice(stdout).unwrap_or_else(|e| {
        panic!(
            "{transport}: client output is not JSON ({e}): {}",
            String::from_utf8_lossy(stdout)
        )
    });
    assert_eq!(out["server"], "steward", "{transport}");
    let tools: Vec<&str> = out["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert_eq!(
        tools,
        [
            "audit_database",
            "describe_schema",
            "describe_table",
            "explain_query",
            "lint_sql",
            "list_schemas",
            "privacy_inventory",
            "run_readonly_query"
        ],
        "{transport}"
    );
    assert_eq!(out["schemas_ok"], true);
    assert_eq!(out["read_only_hints"].as_array().unwrap().len(), 8);
    let calls = out["calls"].as_array().unwrap();
    for (i, c) in calls.iter().enumerate().take(8) {
        assert_eq!(c["is_error"], false, "{transport}: call {i} {c}");
        assert!(
            c["summary"].as_str().is_some_and(|s| !s.is_empty()),
            "{transport}: {c}"
        );
        assert!(c["structured"].is_object(), "{transport}: {c}");
    }
    assert_eq!(calls[0]["structured"]["schemas"][0]["name"], "public");
    assert_eq!(calls[2]["structured"]["name"], "accounts");
    assert!(!calls[3]["structured"]["diagnostics"]
        .as_array()
        .unwrap()
        .is_empty());
    assert!(calls[5]["structured"]["plan"][0]["Plan"].is_object());
    assert!(!calls[6]["structured"]["columns"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(
        calls[7]["structured"]["rows"][0],
        serde_json::json!([1, "owner1", "1.00"])
    );
    // Refused, and the refusal names the function.
    assert_eq!(calls[8]["is_error"], true);
    assert!(calls[8]["summary"]
        .as_str()
        .unwrap()
        .contains("pg_read_file"));
    assert_eq!(calls[9]["is_error"], true);
    assert_eq!(calls[10]["is_error"], true);
    let all = String::from_utf8_lossy(stdout);
    assert!(
        !all.contains("4eC39HqLy"),
        "{transport}: a secret literal was echoed"
    );
    assert!(
        !all.contains("@example.com"),
        "{transport}: a value leaked from the inventory"
    );
}

#[test]
fn python_sdk_over_stdio() {
    let Some(python) = python() else { return };
    let (db, conninfo) = bank("mcp_py_stdio");
    let out = Command::new(python)
        .arg(CLIENT_PY)
        .args(["stdio", env!("CARGO_BIN_EXE_steward"), &conninfo])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "client failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    check_python_run(&out.stdout, "stdio");
    assert_eq!(db.value("SELECT count(*) FROM accounts").unwrap(), "50");
}

/// `steward mcp --transport http` on a free port; returns the child and its URL.
fn http_server(conninfo: &str, token: &str) -> (std::process::Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_steward"))
        .args([
            "mcp",
            conninfo,
            "--transport",
            "http",
            "--bind",
            "127.0.0.1:0",
            "--token-env",
            "STEWARD_TEST_MCP_TOKEN",
        ])
        .env("STEWARD_TEST_MCP_TOKEN", token)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let url = loop {
        let line = lines
            .next()
            .expect("server exited before listening")
            .unwrap();
        if let Some(url) = line.strip_prefix("steward mcp: listening on ") {
            break url.to_string();
        }
    };
    // Keep draining stderr so the server never blocks on it.
    std::thread::spawn(move || lines.for_each(drop));
    (child, url)
}

/// One raw HTTP POST to the server; returns the status line.
fn raw_post(url: &str, authorization: Option<&str>) -> String {
    let addr = url.trim_start_matches("http://").trim_end_matches("/mcp");
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let body = r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#;
    let auth = authorization
        .map(|a| format!("Authorization: {a}\r\n"))
        .unwrap_or_default();
    write!(
        s,
        "POST /mcp HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n{auth}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    let _ = s.read_to_string(&mut response);
    response.lines().next().unwrap_or_default().to_string()
}

#[test]
fn python_sdk_over_http_with_a_bearer_token() {
    let Some(python) = python() else { return };
    let (_db, conninfo) = bank("mcp_py_http");
    let token = "test-token-0123456789abcdef";
    let (mut child, url) = http_server(&conninfo, token);
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    // No token, or a wrong one: 401 before any MCP handling.
    assert!(raw_post(&url, None).contains("401"));
    assert!(raw_post(&url, Some("Bearer wrong-token")).contains("401"));
    let out = Command::new(python)
        .arg(CLIENT_PY)
        .args(["http", &url, token])
        .output()
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        out.status.success(),
        "client failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    check_python_run(&out.stdout, "http");
}

#[test]
fn inspector_cli_lists_and_calls() {
    let Some(inspector) = inspector() else { return };
    let (_db, conninfo) = bank("mcp_inspector");
    let run = |extra: &[&str]| {
        let out = Command::new(&inspector)
            .args(["--cli", env!("CARGO_BIN_EXE_steward"), "mcp", &conninfo])
            .args(extra)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "inspector failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<Value>(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "inspector output is not JSON ({e}): {}",
                String::from_utf8_lossy(&out.stdout)
            )
        })
    };
    let listed = run(&["--method", "tools/list"]);
    let names: Vec<&str> = listed["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"run_readonly_query") && names.len() == 8,
        "{names:?}"
    );
    let called = run(&[
        "--method",
        "tools/call",
        "--tool-name",
        "run_readonly_query",
        "--tool-arg",
        "sql=SELECT count(*) AS n FROM accounts",
    ]);
    assert_eq!(called["structuredContent"]["rows"][0][0], 50, "{called}");
    assert_ne!(called["isError"], true);
}

#[test]
fn strict_refuses_a_superuser_and_the_warning_names_the_fix() {
    let db = cluster().create_database("mcp_strict").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_steward"))
        .args(["mcp", &db.conninfo(), "--strict"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("WARNING") && stderr.contains("SUPERUSER"),
        "{stderr}"
    );
    assert!(stderr.contains("steward generate roles"), "{stderr}");
    assert!(
        out.stdout.is_empty(),
        "nothing but protocol may go to stdout"
    );
    // Without --strict it warns and serves (here: until stdin closes).
    let out = Command::new(env!("CARGO_BIN_EXE_steward"))
        .args(["mcp", &db.conninfo()])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("SUPERUSER"), "{stderr}");
    assert!(!stderr.contains("refusing"), "{stderr}");
}
