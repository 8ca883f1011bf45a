//! The list of all rules.

use crate::rule::Rule;
use crate::rules::*;

/// Every rule steward has, in documentation order (by category, then id).
pub fn all() -> Vec<&'static dyn Rule> {
    let mut rules: Vec<&'static dyn Rule> = vec![
        &correctness::invalid_suppression::InvalidSuppression,
        &correctness::parse_error::ParseError,
        &integrity::fk_without_index::FkWithoutIndex,
        &migration::require_concurrent_index::RequireConcurrentIndex,
        &performance::select_star::SelectStar,
    ];
    rules.sort_by_key(|r| (r.meta().category, r.meta().id));
    rules
}

/// Looks a rule up by id.
pub fn find(id: &str) -> Option<&'static dyn Rule> {
    all().into_iter().find(|r| r.meta().id == id)
}
