//! `EXPLAIN (FORMAT JSON)` plans: running them and reading the tree.

use crate::params::{explain_script, Explainable};
use serde_json::Value;
use tokio_postgres::{Client, SimpleQueryMessage};

/// One plan node, with the fields the advisor and the explainer read.
#[derive(Debug, Clone, Default)]
pub struct PlanNode {
    pub node_type: String,
    pub relation: Option<String>,
    pub schema: Option<String>,
    pub alias: Option<String>,
    pub index_name: Option<String>,
    pub startup_cost: f64,
    pub total_cost: f64,
    pub plan_rows: f64,
    pub actual_rows: Option<f64>,
    pub actual_loops: Option<f64>,
    pub filter: Option<String>,
    pub rows_removed_by_filter: Option<f64>,
    pub join_type: Option<String>,
    pub hash_cond: Option<String>,
    pub merge_cond: Option<String>,
    pub join_filter: Option<String>,
    pub sort_space_type: Option<String>,
    pub sort_space_kb: Option<f64>,
    pub hash_batches: Option<f64>,
    pub peak_memory_kb: Option<f64>,
    pub disk_usage_kb: Option<f64>,
    pub parent_relationship: Option<String>,
    pub children: Vec<PlanNode>,
}

impl PlanNode {
    pub fn from_json(v: &Value) -> PlanNode {
        let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        let f = |k: &str| v.get(k).and_then(Value::as_f64);
        PlanNode {
            node_type: s("Node Type").unwrap_or_default(),
            relation: s("Relation Name"),
            schema: s("Schema"),
            alias: s("Alias"),
            index_name: s("Index Name"),
            startup_cost: f("Startup Cost").unwrap_or(0.0),
            total_cost: f("Total Cost").unwrap_or(0.0),
            plan_rows: f("Plan Rows").unwrap_or(0.0),
            actual_rows: f("Actual Rows"),
            actual_loops: f("Actual Loops"),
            filter: s("Filter"),
            rows_removed_by_filter: f("Rows Removed by Filter"),
            join_type: s("Join Type"),
            hash_cond: s("Hash Cond"),
            merge_cond: s("Merge Cond"),
            join_filter: s("Join Filter"),
            sort_space_type: s("Sort Space Type"),
            sort_space_kb: f("Sort Space Used"),
            hash_batches: f("Hash Batches"),
            peak_memory_kb: f("Peak Memory Usage"),
            disk_usage_kb: f("Disk Usage"),
            parent_relationship: s("Parent Relationship"),
            children: v
                .get("Plans")
                .and_then(Value::as_array)
                .map(|a| a.iter().map(PlanNode::from_json).collect())
                .unwrap_or_default(),
        }
    }

    /// `Seq Scan on orders`, `Index Scan using orders_pkey on orders`, `Sort`.
    pub fn label(&self) -> String {
        match (&self.index_name, &self.relation) {
            (Some(i), Some(r)) => format!("{} using {i} on {r}", self.node_type),
            (None, Some(r)) => format!("{} on {r}", self.node_type),
            _ => match &self.join_type {
                Some(j)
                    if j != "Inner" && self.node_type.contains("Join")
                        || self.node_type == "Nested Loop" && j.as_str() != "Inner" =>
                {
                    format!("{} ({j})", self.node_type)
                }
                _ => self.node_type.clone(),
            },
        }
    }

    /// Every node, depth first, with its path from the root.
    pub fn walk<'a>(
        &'a self,
        path: &mut Vec<&'a PlanNode>,
        f: &mut impl FnMut(&[&'a PlanNode], &'a PlanNode),
    ) {
        f(path, self);
        path.push(self);
        for c in &self.children {
            c.walk(path, f);
        }
        path.pop();
    }

    /// Index names used anywhere in the plan.
    pub fn indexes_used(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.walk(&mut Vec::new(), &mut |_, n| {
            if let Some(i) = &n.index_name {
                if !out.contains(i) {
                    out.push(i.clone());
                }
            }
        });
        out
    }
}

/// A plan: the root node and, with ANALYZE, the execution time.
#[derive(Debug, Clone)]
pub struct Plan {
    pub root: PlanNode,
    pub execution_ms: Option<f64>,
    pub planning_ms: Option<f64>,
    pub json: Value,
}

impl Plan {
    pub fn from_json(json: Value) -> Result<Plan, String> {
        let top = json
            .get(0)
            .ok_or_else(|| "EXPLAIN returned no plan".to_string())?;
        let root = top
            .get("Plan")
            .map(PlanNode::from_json)
            .ok_or_else(|| "EXPLAIN returned no plan".to_string())?;
        Ok(Plan {
            root,
            execution_ms: top.get("Execution Time").and_then(Value::as_f64),
            planning_ms: top.get("Planning Time").and_then(Value::as_f64),
            json,
        })
    }

    pub fn total_cost(&self) -> f64 {
        self.root.total_cost
    }
}

/// Runs statements one by one (simple protocol), returning the text of the first column of
/// the last row of the last one.
pub async fn simple(client: &Client, sql: &str) -> Result<Option<String>, tokio_postgres::Error> {
    let mut last = None;
    for m in client.simple_query(sql).await? {
        if let SimpleQueryMessage::Row(row) = m {
            last = row.get(0).map(str::to_string);
        }
    }
    Ok(last)
}

/// EXPLAINs a statement with `options` (`FORMAT JSON` is added), running its set-up and
/// clean-up statements around it. Must run inside a transaction: a savepoint keeps a failed
/// EXPLAIN (a statement that does not plan) from aborting the caller's transaction.
pub async fn explain(client: &Client, e: &Explainable, options: &str) -> Result<Plan, String> {
    let options = if options.is_empty() {
        "FORMAT JSON".to_string()
    } else {
        format!("{options}, FORMAT JSON")
    };
    let (setup, explain, cleanup) = explain_script(e, &options);
    let text_of = |e: tokio_postgres::Error| steward_pg::error_text(&e);
    simple(client, "SAVEPOINT steward_explain")
        .await
        .map_err(text_of)?;
    let mut result: Result<Option<String>, String> = Ok(None);
    let mut prepared = false;
    for s in &setup {
        if let Err(err) = simple(client, s).await {
            result = Err(text_of(err));
            break;
        }
        prepared |= s.starts_with("PREPARE");
    }
    if result.is_ok() {
        result = simple(client, &explain).await.map_err(text_of);
    }
    if result.is_ok() {
        for s in &cleanup {
            if let Err(err) = simple(client, s).await {
                result = Err(text_of(err));
                break;
            }
        }
    }
    let end = if result.is_ok() {
        "RELEASE SAVEPOINT steward_explain"
    } else {
        "ROLLBACK TO SAVEPOINT steward_explain; RELEASE SAVEPOINT steward_explain"
    };
    simple(client, end).await.map_err(text_of)?;
    if result.is_err() && prepared {
        // Prepared statements outlive a rollback to savepoint.
        simple(client, "DEALLOCATE steward_explain")
            .await
            .map_err(text_of)?;
    }
    let text = result?.ok_or_else(|| "EXPLAIN returned nothing".to_string())?;
    let json: Value = serde_json::from_str(&text).map_err(|e| format!("EXPLAIN output: {e}"))?;
    Plan::from_json(json)
}
