//! What every rule file imports.

pub use crate::context::{ModelCtx, QueryCtx, QuerySource, StatementCtx};
pub use crate::declare_rule;
pub use crate::rule::{Rule, RuleMeta};
pub use crate::util::*;
pub use sqlparser::ast::Spanned;
pub use steward_core::model::{quote_ident, QualName};
pub use steward_core::{Diagnostic, Dialect};
