//! One test binary for this crate (one link instead of one per file): each module is a former tests/*.rs.
mod audit;
mod backup;
mod generate;
mod lint;
mod mcp;
mod privacy;
