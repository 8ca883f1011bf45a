//! steward's shared vocabulary.
//!
//! Every source (SQL files, a live PostgreSQL catalog, a workload) lowers into the same
//! [`model::Model`]; every check produces the same [`Diagnostic`]. Nothing in this crate does IO.

pub mod diagnostic;
pub mod dialect;
pub mod model;
pub mod report;
pub mod source;
pub mod statement;

pub use diagnostic::{Category, Diagnostic, Measure, Severity, Summary};
pub use dialect::Dialect;
pub use report::{Report, RuleInfo};
pub use source::{Location, Position, SourceFile, Span};
