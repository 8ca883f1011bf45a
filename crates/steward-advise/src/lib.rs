//! steward advise: what to fix first in a workload, and what it saves.
//!
//! The workload (from `pg_stat_statements`, a server log or a file of queries) is a list of
//! [`WorkloadQuery`]: one normalised statement shape with its measured cost. Everything else —
//! query rules, N+1 detection, what-if indexes, rewrites, economics — reads that list.

use serde::Serialize;

/// One statement shape of the workload and what it cost over the observed period.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct WorkloadQuery {
    /// Normalised text: constants replaced by `$1`, `$2`… (as pg_stat_statements prints it).
    pub text: String,
    /// Times executed in the observed period.
    pub calls: u64,
    /// Total execution time in milliseconds.
    pub total_ms: f64,
    /// Rows returned or affected, in total.
    pub rows: u64,
    /// Shared buffer hits and reads, in total (0 when the source does not know).
    pub shared_blks_hit: u64,
    pub shared_blks_read: u64,
}

impl WorkloadQuery {
    /// Mean execution time in milliseconds.
    pub fn mean_ms(&self) -> f64 {
        if self.calls == 0 {
            0.0
        } else {
            self.total_ms / self.calls as f64
        }
    }
}

pub mod economics;
pub mod explain;
pub mod indexes;
pub mod nplus1;
pub mod params;
pub mod plan;
pub mod query;
pub mod report;
pub mod rewrite;
pub mod rules;
pub mod stats;
pub mod workload;
