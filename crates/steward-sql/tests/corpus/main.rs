//! One test binary for this crate (one link instead of one per file): each module is a former tests/*.rs.
mod never_panics;
mod valid_postgres;
