//! Style rules.

pub mod sp_prefix_procedure;

use crate::rule::Rule;

/// Every rule of this category.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![&sp_prefix_procedure::SpPrefixProcedure]
}
