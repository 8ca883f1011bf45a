//! What a tool call costs on top of the query itself: `run_readonly_query` with a trivial
//! query, timed (p50/p99) as
//!
//! 1. the bare query on a plain connection (the query's own time),
//! 2. the executor (validation, read-only transaction with timeouts, rollback, reset),
//! 3. a full MCP `tools/call` over stdio framing (newline-delimited JSON-RPC on a pipe),
//! 4. a full MCP `tools/call` over streamable HTTP (loopback, one keep-alive connection).
//!
//! `cargo run --release -p steward-mcp --example overhead` (starts a throwaway PostgreSQL).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use rmcp::ServiceExt;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use steward_mcp::executor::{Executor, Limits};
use steward_mcp::server::StewardServer;
use steward_mcp::tools::Options;
use steward_pg::connect::{self, Params, Safety};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

const N: usize = 2000;
const SQL: &str = "SELECT id, owner FROM accounts WHERE id = 42";

fn stats(name: &str, mut samples: Vec<Duration>, base: Option<(f64, f64)>) -> (f64, f64) {
    samples.sort();
    let p = |q: f64| samples[((samples.len() as f64 - 1.0) * q) as usize].as_secs_f64() * 1e3;
    let (p50, p99) = (p(0.5), p(0.99));
    match base {
        Some((b50, b99)) => println!(
            "{name:<34} p50 {p50:7.3} ms  p99 {p99:7.3} ms   overhead p50 {:6.3} ms  p99 {:6.3} ms",
            p50 - b50,
            p99 - b99
        ),
        None => println!("{name:<34} p50 {p50:7.3} ms  p99 {p99:7.3} ms"),
    }
    (p50, p99)
}

async fn time<F: std::future::Future<Output = ()>>(mut f: impl FnMut() -> F) -> Vec<Duration> {
    for _ in 0..100 {
        f().await;
    }
    let mut out = Vec::with_capacity(N);
    for _ in 0..N {
        let t = Instant::now();
        f().await;
        out.push(t.elapsed());
    }
    out
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let cluster = steward_testkit::Cluster::start().unwrap();
    let db = cluster.create_database("overhead").unwrap();
    db.exec("CREATE TABLE accounts (id int PRIMARY KEY, owner text); INSERT INTO accounts SELECT i, 'o' || i FROM generate_series(1, 1000) i")
        .unwrap();
    let params = Params::resolve(&db.conninfo(), &|_| None).unwrap();

    let plain = connect::connect(&params, &Safety::default()).await.unwrap();
    let bare = time(|| async {
        plain.client.query(SQL, &[]).await.unwrap();
    })
    .await;
    let base = stats("bare query (extended protocol)", bare, None);

    let executor = Executor::connect(params.clone(), Safety::default(), Limits::default())
        .await
        .unwrap();
    let exec = time(|| async {
        let v = steward_mcp::readonly::validate(SQL, Default::default()).unwrap();
        executor.run(&v.sql, 1000).await.unwrap();
    })
    .await;
    stats("executor (validate + txn + reset)", exec, Some(base));

    // stdio framing: the server on one end of a pipe, a raw JSON-RPC client on the other.
    let server = StewardServer::new(
        Executor::connect(params.clone(), Safety::default(), Limits::default())
            .await
            .unwrap(),
        Options::default(),
    );
    let (client_io, server_io) = tokio::io::duplex(1 << 20);
    tokio::spawn(async move {
        let running = server.serve(server_io).await.unwrap();
        let _ = running.waiting().await;
    });
    let (read, mut write) = tokio::io::split(client_io);
    let mut lines = BufReader::new(read).lines();
    let init = json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bench", "version": "0"}}});
    write
        .write_all(format!("{init}\n").as_bytes())
        .await
        .unwrap();
    lines.next_line().await.unwrap();
    write
        .write_all(b"{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n")
        .await
        .unwrap();
    let lines = tokio::sync::Mutex::new(lines);
    let write = tokio::sync::Mutex::new(write);
    let id = std::sync::atomic::AtomicU64::new(1);
    let stdio = time(|| async {
        let n = id.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let call = json!({"jsonrpc": "2.0", "id": n, "method": "tools/call",
                          "params": {"name": "run_readonly_query", "arguments": {"sql": SQL}}});
        write
            .lock()
            .await
            .write_all(format!("{call}\n").as_bytes())
            .await
            .unwrap();
        let line = lines.lock().await.next_line().await.unwrap().unwrap();
        let v: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["result"]["structuredContent"]["rows"][0][0], 42, "{v}");
    })
    .await;
    stats("MCP tools/call over stdio framing", stdio, Some(base));

    // Streamable HTTP on loopback.
    let server = StewardServer::new(
        Executor::connect(params, Safety::default(), Limits::default())
            .await
            .unwrap(),
        Options::default(),
    );
    let (tx, rx) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        server
            .serve_http("127.0.0.1:0".parse().unwrap(), None, move |a| {
                let _ = tx.send(a);
            })
            .await
            .unwrap();
    });
    let addr = rx.await.unwrap();
    let connect = || async move {
        let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        stream.set_nodelay(true).unwrap();
        let (sender, conn) =
            hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
                .await
                .unwrap();
        tokio::spawn(conn);
        sender
    };
    let sender = tokio::sync::Mutex::new(connect().await);
    let reconnects = std::sync::atomic::AtomicUsize::new(0);
    let session: tokio::sync::Mutex<Option<String>> = Default::default();
    let post = |body: Value| {
        let sender = &sender;
        let session = &session;
        let reconnects = &reconnects;
        async move {
            let mut req = hyper::Request::post(format!("http://{addr}/mcp"))
                .header("host", addr.to_string())
                .header("content-type", "application/json")
                .header("accept", "application/json, text/event-stream")
                .header("mcp-protocol-version", "2025-06-18");
            if let Some(s) = session.lock().await.as_ref() {
                req = req.header("mcp-session-id", s);
            }
            let req = req.body(Full::new(Bytes::from(body.to_string()))).unwrap();
            let mut sender = sender.lock().await;
            // Keep-alive when the server allows it; a new connection when it closed this one.
            if sender.ready().await.is_err() {
                reconnects.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                *sender = connect().await;
            }
            let resp = sender.send_request(req).await.unwrap();
            if let Some(s) = resp.headers().get("mcp-session-id") {
                *session.lock().await = Some(s.to_str().unwrap().to_string());
            }
            let bytes = resp.into_body().collect().await.unwrap().to_bytes();
            String::from_utf8_lossy(&bytes).into_owned()
        }
    };
    post(init).await;
    post(json!({"jsonrpc": "2.0", "method": "notifications/initialized"})).await;
    let http = time(|| async {
        let call = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                          "params": {"name": "run_readonly_query", "arguments": {"sql": SQL}}});
        let text = post(call).await;
        assert!(text.contains("\"rows\":[[42,"), "{text}");
    })
    .await;
    stats("MCP tools/call over streamable HTTP", http, Some(base));
    println!(
        "(HTTP: {} of {} requests needed a new connection)",
        reconnects.load(std::sync::atomic::Ordering::Relaxed),
        N + 102
    );
}
