//! Indexes to drop, from the audit's own checks (`unused-index`: no scans since the statistics
//! were reset, never a constraint's index, with the statistics' age; `redundant-index`: a
//! same-method prefix with the same predicate, collations, opclasses and INCLUDE columns).

use super::AdviseError;
use serde::Serialize;
use std::collections::BTreeMap;
use steward_pg::audit::AuditOptions;
use steward_pg::connect::Connection;

/// An index worth dropping, as the audit check reported it.
#[derive(Debug, Clone, Serialize)]
pub struct DropCandidate {
    /// `unused-index` or `redundant-index`.
    pub rule: String,
    /// The index (schema-qualified).
    pub index: String,
    pub message: String,
    pub help: Option<String>,
    /// `DROP INDEX CONCURRENTLY …;`
    pub sql: Option<String>,
}

/// Runs the two audit checks (in the audit's own read-only transaction).
pub async fn drop_candidates(
    conn: &Connection,
    unused_min_bytes: f64,
) -> Result<Vec<DropCandidate>, AdviseError> {
    let mut thresholds: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();
    thresholds
        .entry("unused-index".into())
        .or_default()
        .insert("min-bytes".into(), unused_min_bytes);
    let options = AuditOptions {
        enabled: vec!["unused-index", "redundant-index"],
        severity: BTreeMap::new(),
        thresholds,
        sample: None,
    };
    let run = steward_pg::audit::run(conn, &options).await?;
    Ok(run
        .report
        .diagnostics
        .into_iter()
        .map(|d| DropCandidate {
            rule: d.rule.to_string(),
            index: d.object.clone().unwrap_or_default(),
            message: d.message.clone(),
            help: d.help.clone(),
            sql: d.fix.clone(),
        })
        .collect())
}
