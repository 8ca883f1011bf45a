//! One test binary for the workload half of the advisor (pg_stat_statements, server logs,
//! N+1, economics); each module is one area. Every test runs on a real PostgreSQL.
mod workload_common;
mod workload_log;
mod workload_pgss;
