//! One test binary for this crate (one link instead of one per file): each module is a former tests/*.rs.
mod backup;
mod drill;
