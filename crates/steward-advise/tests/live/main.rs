//! One test binary for the advisor (one link instead of one per area); each module is one
//! area. Every test runs on a real PostgreSQL.
//!
//! - workload: pg_stat_statements, server logs, N+1, economics;
//! - what-if: indexes with hypopg, the quality benchmark (small), explain, rewrites.
mod common;
mod whatif_explain;
mod whatif_indexes;
mod whatif_quality;
mod whatif_rewrite;
mod workload_common;
mod workload_log;
mod workload_pgss;
