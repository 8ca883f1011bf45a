//! Style rules.

pub mod fk_column_naming;
pub mod identifier_naming;
pub mod inconsistent_table_naming;
pub mod keyword_case;
pub mod naming;
pub mod nolock_hint;
pub mod sp_prefix_procedure;

use crate::rule::Rule;

/// Every rule of this category.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &fk_column_naming::FkColumnNaming,
        &identifier_naming::IdentifierNaming,
        &inconsistent_table_naming::InconsistentTableNaming,
        &keyword_case::KeywordCase,
        &nolock_hint::NolockHint,
        &sp_prefix_procedure::SpPrefixProcedure,
    ]
}
