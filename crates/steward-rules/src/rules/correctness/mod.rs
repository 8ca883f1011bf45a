//! Correctness rules.

mod defined;
pub mod duplicate_object;
pub mod invalid_suppression;
pub mod not_in_subquery;
pub mod object_used_before_creation;
pub mod parse_error;
pub mod reserved_identifier;
pub mod undefined_column;
pub mod unfiltered_write;
pub mod unquoted_mixed_case_identifier;

use crate::rule::Rule;

/// Every rule of this category.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &duplicate_object::DuplicateObject,
        &invalid_suppression::InvalidSuppression,
        &not_in_subquery::NotInSubquery,
        &object_used_before_creation::ObjectUsedBeforeCreation,
        &parse_error::ParseError,
        &reserved_identifier::ReservedIdentifier,
        &undefined_column::UndefinedColumn,
        &unfiltered_write::UnfilteredWrite,
        &unquoted_mixed_case_identifier::UnquotedMixedCaseIdentifier,
    ]
}
