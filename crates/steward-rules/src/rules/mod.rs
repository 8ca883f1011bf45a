//! Every rule, one file each, grouped by category. Each category's `mod.rs` lists its rules.

pub mod correctness;
pub mod integrity;
pub mod migration;
pub mod performance;
pub mod privacy;
pub mod security;
pub mod style;
