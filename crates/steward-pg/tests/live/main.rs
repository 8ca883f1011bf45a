//! One test binary for this crate (one link instead of one per file): each module is a former tests/*.rs.
mod common;
mod connect;
mod docs;
mod equivalence;
mod health;
mod indexes_security;
mod pitr;
mod posture;
mod privacy_sample;
mod safety_scale;
mod valid_sql;
