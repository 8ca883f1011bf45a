//! Style rules.

pub mod nolock_hint;
pub mod sp_prefix_procedure;

use crate::rule::Rule;

/// Every rule of this category.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &nolock_hint::NolockHint,
        &sp_prefix_procedure::SpPrefixProcedure,
    ]
}
