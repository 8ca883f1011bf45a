//! steward's rule engine and rules.
//!
//! A rule is one file under `rules/<category>/`, declared with [`declare_rule!`]; its doc
//! comment is its documentation. Rules look at one of three things (see [`rule::Scope`]):
//! statements as written (with the schema as it stood before them), queries (wherever they
//! appear), or the finished schema model — which may come from files or a live server.

pub mod context;
pub mod engine;
pub mod prelude;
pub mod registry;
pub mod rule;
pub mod rules;
pub mod util;

pub use engine::{run_files, run_model, run_queries, FileRun};
pub use rule::{Rule, RuleMeta, Scope};
