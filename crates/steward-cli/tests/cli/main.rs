//! One test binary for this crate (one link instead of one per file): each module is a former tests/*.rs.
mod advise;
mod audit;
mod backup;
mod explain;
mod generate;
mod lint;
mod mcp;
mod privacy;
