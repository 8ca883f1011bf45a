//! One test binary for the what-if half of the advisor (indexes, rewrites, explain); each
//! module is one area. Every test runs on a real PostgreSQL (the shared throwaway cluster).
mod common;
mod whatif_explain;
mod whatif_indexes;
mod whatif_quality;
mod whatif_rewrite;
