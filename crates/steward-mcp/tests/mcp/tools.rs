//! Every tool through the server's call path (what `tools/call` runs), against a real
//! database, as the least-privilege role.

use crate::common::Bank;
use serde_json::{json, Value};
use steward_mcp::server::StewardServer;
use steward_mcp::tools::{definitions, Options};

async fn server(bank: &Bank, allow_analyze: bool) -> StewardServer {
    let executor = bank.executor(false, Default::default()).await;
    StewardServer::new(executor, Options { allow_analyze })
}

/// Calls a tool; returns (is_error, summary, structured).
async fn call(server: &StewardServer, name: &str, args: Value) -> (bool, String, Value) {
    let r = server.call(name, args).await;
    let summary = serde_json::to_value(&r.content[0]).unwrap()["text"]
        .as_str()
        .unwrap()
        .to_string();
    (
        r.is_error == Some(true),
        summary,
        r.structured_content.unwrap(),
    )
}

#[test]
fn every_tool_has_a_schema_and_a_description() {
    let tools = definitions(Options::default());
    let names: Vec<_> = tools.iter().map(|t| t.name).collect();
    assert_eq!(
        names,
        [
            "list_schemas",
            "describe_schema",
            "describe_table",
            "lint_sql",
            "audit_database",
            "explain_query",
            "privacy_inventory",
            "run_readonly_query"
        ]
    );
    for t in &tools {
        assert_eq!(t.input_schema["type"], "object", "{}", t.name);
        assert!(t.description.len() > 40, "{}", t.name);
    }
}

#[tokio::test]
async fn tools_answer_from_the_database() {
    let bank = Bank::new("mcp_tools");
    let s = server(&bank, false).await;

    let (err, summary, v) = call(&s, "list_schemas", json!({})).await;
    assert!(!err && summary.contains("public"), "{summary}");
    assert_eq!(v["schemas"][0]["name"], "public");
    assert_eq!(v["schemas"][0]["tables"], 2);

    let (err, _, v) = call(&s, "describe_schema", json!({})).await;
    assert!(!err);
    let names: Vec<_> = v["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["account_totals", "accounts", "transfers"]);

    let (err, summary, t) = call(&s, "describe_table", json!({"table": "transfers"})).await;
    assert!(!err, "{summary}");
    assert!(
        summary.starts_with("public.transfers: 3 column(s)"),
        "{summary}"
    );
    let kinds: Vec<_> = t["constraints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["type"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"foreign key")
            && kinds.contains(&"primary key")
            && kinds.contains(&"check"),
        "{kinds:?}"
    );
    assert!(t["total_bytes"].as_i64().unwrap() > 0);
    let (err, _, _) = call(&s, "describe_table", json!({"table": "nope"})).await;
    assert!(err);

    let (err, summary, v) = call(&s, "lint_sql", json!({"sql": "SELECT * FROM accounts;"})).await;
    assert!(!err, "{summary}");
    assert!(
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["rule"] == "select-star"),
        "{v}"
    );

    let (err, summary, v) = call(&s, "audit_database", json!({"category": "integrity"})).await;
    assert!(!err, "{summary}");
    let diags = v["diagnostics"].as_array().unwrap();
    assert!(diags.iter().all(|d| d["category"] == "integrity"));
    assert!(diags.iter().any(|d| d["rule"] == "fk-without-index"), "{v}");

    let (err, summary, v) = call(
        &s,
        "explain_query",
        json!({"sql": "SELECT * FROM accounts WHERE id = 1"}),
    )
    .await;
    assert!(!err, "{summary}");
    assert!(v["plan"][0]["Plan"]["Node Type"].is_string(), "{v}");
    let (err, summary, _) = call(
        &s,
        "explain_query",
        json!({"sql": "SELECT 1", "analyze": true}),
    )
    .await;
    assert!(err && summary.contains("--allow-analyze"), "{summary}");
    let (err, summary, _) = call(&s, "explain_query", json!({"sql": "DELETE FROM accounts"})).await;
    assert!(err && summary.starts_with("refused"), "{summary}");

    let (err, summary, v) = call(&s, "privacy_inventory", json!({})).await;
    assert!(!err, "{summary}");
    let email = v["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["column"] == "email")
        .unwrap();
    assert_eq!(email["table"], "accounts");
    // Never a value: no address from the table appears anywhere in the answer.
    assert!(!v.to_string().contains("@example.com"));

    let (err, summary, v) = call(&s, "run_readonly_query", json!({
        "sql": "SELECT id, owner, balance, created_at, tags, meta, NULL::int AS n, 1.5::float8 AS f, true AS b, '7 days'::interval AS i FROM accounts ORDER BY id LIMIT 2"
    })).await;
    assert!(!err, "{summary}");
    assert_eq!(
        v["rows"][0],
        json!([1, "owner1", "1.50", "2024-01-02 03:04:05+00", ["a", "b"], {"k": 1}, null, 1.5, true, "0 mons 7 days 00:00:00"])
    );
    assert_eq!(v["columns"][2]["type"], "numeric");
    assert_eq!(v["truncated"], false);

    let (err, summary, v) = call(
        &s,
        "run_readonly_query",
        json!({"sql": "SELECT id FROM accounts", "max_rows": 5}),
    )
    .await;
    assert!(
        !err && summary.contains("truncated at the row cap (5)"),
        "{summary}"
    );
    assert_eq!(v["rows"].as_array().unwrap().len(), 5);
    assert_eq!(v["truncated"], true);

    let (err, summary, v) = call(
        &s,
        "run_readonly_query",
        json!({"sql": "SELECT pg_read_file('/etc/passwd')"}),
    )
    .await;
    assert!(err && summary.contains("pg_read_file"), "{summary}");
    assert_eq!(v["kind"], "refused");
    assert!(!summary.contains("/etc/passwd"), "{summary}");

    let (err, _, _) = call(
        &s,
        "run_readonly_query",
        json!({"sql": "SELECT 1", "bogus": 1}),
    )
    .await;
    assert!(err);
    let (err, _, _) = call(&s, "no_such_tool", json!({})).await;
    assert!(err);
}

#[tokio::test]
async fn errors_never_repeat_secrets_or_the_query() {
    let bank = Bank::new("mcp_secrets");
    let s = server(&bank, false).await;
    let secret = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
    for sql in [
        format!("SELECT '{secret}'::int"),
        format!("SELECT * FROM accounts WHERE owner = '{secret}' AND no_such_column = 1"),
        format!("SELECT '{secret}' FROM"),
        format!("SELECT to_date('{secret}', 'YYYY')"),
        format!("SELECT E'{secret}'::jsonb"),
        format!("SELECT $${secret}$$::uuid"),
    ] {
        let r = s.call("run_readonly_query", json!({"sql": sql})).await;
        let all = serde_json::to_string(&r).unwrap();
        assert_eq!(r.is_error, Some(true), "{all}");
        assert!(
            !all.contains(secret) && !all.contains("4eC39HqLy"),
            "secret echoed: {all}"
        );
        assert!(!all.contains("no_such_column = 1"), "query echoed: {all}");
    }
}

#[tokio::test]
async fn explain_analyze_only_when_allowed() {
    let bank = Bank::new("mcp_analyze");
    let s = server(&bank, true).await;
    let (err, summary, v) = call(
        &s,
        "explain_query",
        json!({"sql": "SELECT count(*) FROM accounts", "analyze": true}),
    )
    .await;
    assert!(!err, "{summary}");
    assert!(v["plan"][0]["Plan"]["Actual Rows"].is_number(), "{v}");
    assert!(summary.contains("actual time"), "{summary}");
    // Still read-only: a write is refused before it reaches EXPLAIN ANALYZE.
    let (err, _, _) = call(
        &s,
        "explain_query",
        json!({"sql": "DELETE FROM accounts RETURNING 1", "analyze": true}),
    )
    .await;
    assert!(err);
    assert_eq!(
        bank.db.value("SELECT count(*) FROM accounts").unwrap(),
        "100"
    );
}
