//! The live catalog, lowered into the same [`Model`] that DDL files produce.
//!
//! One query per object kind (the `.sql` files beside this module, each with a fixed row shape
//! and `ORDER BY`), so reading a database takes the same number of round trips whatever its
//! size. Every query runs inside the caller's transaction — the audit opens one
//! `READ ONLY` repeatable-read transaction so all of them see one snapshot.

mod lower;

use std::time::{Duration, Instant};
use steward_core::model::Model;
use tokio_postgres::{GenericClient, Row};

/// A catalog query failed.
#[derive(Debug, thiserror::Error)]
#[error("reading the catalog ({query}) failed: {message}")]
pub struct CatalogError {
    pub query: &'static str,
    pub message: String,
}

/// The catalog queries, by name, in the order they run.
pub const QUERIES: &[(&str, &str)] = &[
    ("server", include_str!("sql/server.sql")),
    ("schemas", include_str!("sql/schemas.sql")),
    ("relations", include_str!("sql/relations.sql")),
    ("columns", include_str!("sql/columns.sql")),
    ("constraints", include_str!("sql/constraints.sql")),
    ("indexes", include_str!("sql/indexes.sql")),
    ("sequences", include_str!("sql/sequences.sql")),
    ("functions", include_str!("sql/functions.sql")),
    ("triggers", include_str!("sql/triggers.sql")),
    ("types", include_str!("sql/types.sql")),
    ("roles", include_str!("sql/roles.sql")),
    ("grants", include_str!("sql/grants.sql")),
    (
        "default_privileges",
        include_str!("sql/default_privileges.sql"),
    ),
    ("policies", include_str!("sql/policies.sql")),
    ("extensions", include_str!("sql/extensions.sql")),
];

/// What reading the catalog cost.
#[derive(Debug, Clone, Default)]
pub struct CatalogStats {
    /// Queries sent (constant: `QUERIES.len()`).
    pub queries: usize,
    pub rows: usize,
    pub elapsed: Duration,
    /// Time per query, in the order they ran.
    pub per_query: Vec<(&'static str, Duration)>,
}

/// Reads the whole catalog into a model.
pub async fn read_model(
    client: &impl GenericClient,
) -> Result<(Model, CatalogStats), CatalogError> {
    let started = Instant::now();
    let mut results: Vec<(&'static str, Vec<Row>)> = Vec::with_capacity(QUERIES.len());
    let mut per_query = Vec::with_capacity(QUERIES.len());
    for (name, sql) in QUERIES {
        let query_started = Instant::now();
        let rows = client.query(*sql, &[]).await.map_err(|e| CatalogError {
            query: name,
            message: if e.code() == Some(&tokio_postgres::error::SqlState::LOCK_NOT_AVAILABLE) {
                // Deparsing definitions takes AccessShareLock, which waits only behind an
                // ACCESS EXCLUSIVE lock (a migration, VACUUM FULL): give up rather than queue.
                format!(
                    "{}: another session holds an ACCESS EXCLUSIVE lock on a table (a migration or VACUUM FULL?); steward gave up after lock_timeout instead of queueing behind it — retry later or raise --lock-timeout",
                    crate::error_text(&e)
                )
            } else {
                crate::error_text(&e)
            },
        })?;
        per_query.push((*name, query_started.elapsed()));
        results.push((name, rows));
    }
    let stats = CatalogStats {
        queries: results.len(),
        rows: results.iter().map(|(_, r)| r.len()).sum(),
        elapsed: started.elapsed(),
        per_query,
    };
    let model =
        lower::lower(&results).map_err(|(query, message)| CatalogError { query, message })?;
    Ok((model, stats))
}
