//! What the live tests share: connecting to a test database and auditing it.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use steward_core::{Diagnostic, Report};
use steward_pg::audit::{AuditOptions, AuditRun};
use steward_pg::connect::{self, Connection, Params, Safety};
use steward_testkit::Cluster;

/// The process-wide cluster; under CI a missing PostgreSQL is a failure, never a skip.
pub fn cluster() -> &'static Cluster {
    Cluster::shared().unwrap_or_else(|e| panic!("cannot start PostgreSQL: {e}"))
}

/// Connects like the CLI does, without reading this process's PG* environment.
pub async fn connect(conninfo: &str) -> Connection {
    let params = Params::resolve(conninfo, &|_| None).unwrap();
    connect::connect(&params, &Safety::default()).await.unwrap()
}

/// Audits with only `ids` enabled and the given thresholds (`(check, name, value)`).
pub async fn audit(
    conninfo: &str,
    ids: &[&'static str],
    thresholds: &[(&str, &str, f64)],
) -> AuditRun {
    let mut t: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();
    for (check, name, value) in thresholds {
        t.entry(check.to_string())
            .or_default()
            .insert(name.to_string(), *value);
    }
    let options = AuditOptions {
        enabled: ids.to_vec(),
        severity: BTreeMap::new(),
        thresholds: t,
        sample: None,
    };
    let conn = connect(conninfo).await;
    steward_pg::audit::run(&conn, &options)
        .await
        .unwrap_or_else(|e| panic!("audit failed: {e}"))
}

/// Findings of one rule.
pub fn of<'r>(report: &'r Report, rule: &str) -> Vec<&'r Diagnostic> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .collect()
}

/// The finding of `rule` on `object`, if any.
pub fn on<'r>(report: &'r Report, rule: &str, object: &str) -> Option<&'r Diagnostic> {
    report
        .diagnostics
        .iter()
        .find(|d| d.rule == rule && d.object.as_deref() == Some(object))
}

/// Audits one check and returns the report, asserting it ran (no "not checked" note).
pub async fn check(conninfo: &str, id: &'static str, thresholds: &[(&str, &str, f64)]) -> Report {
    let run = audit(conninfo, &[id], thresholds).await;
    assert!(
        run.report.not_checked.is_empty(),
        "{id} did not run: {:?}",
        run.report.not_checked
    );
    for d in &run.report.diagnostics {
        assert!(d.location.is_none(), "live findings have no file location");
    }
    run.report
}

/// Every schema rule and live check that is on by default (what `steward audit` runs), but
/// the opt-in value sampling.
pub fn all_default_ids() -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = steward_rules::registry::all()
        .into_iter()
        .map(|r| r.meta())
        .filter(|m| m.default_enabled && m.scope == steward_rules::rule::Scope::Schema)
        .map(|m| m.id)
        .collect();
    ids.extend(
        steward_pg::checks::all()
            .into_iter()
            .map(|c| c.meta())
            // Value sampling is opt-in (--sample); without it the check is noted as not run.
            .filter(|m| m.default_enabled && m.id != "plaintext-credential-column")
            .map(|m| m.id),
    );
    ids
}

/// DDL for `n` tables chained by foreign keys, each with a secondary index.
pub fn chained_tables(n: usize) -> String {
    let mut sql = String::from("CREATE TABLE t0 (id serial PRIMARY KEY, v int);\n");
    for i in 1..n {
        sql.push_str(&format!(
            "CREATE TABLE t{i} (id serial PRIMARY KEY, parent_id int REFERENCES t{} (id), v int);\nCREATE INDEX t{i}_v_idx ON t{i} (v);\n",
            i - 1
        ));
    }
    sql
}
