//! The list of all rules.

use crate::rule::Rule;
use crate::rules;

/// Every rule steward has, in documentation order (by category, then id).
pub fn all() -> Vec<&'static dyn Rule> {
    let mut all: Vec<&'static dyn Rule> = [
        rules::correctness::rules(),
        rules::integrity::rules(),
        rules::performance::rules(),
        rules::security::rules(),
        rules::privacy::rules(),
        rules::migration::rules(),
        rules::style::rules(),
    ]
    .concat();
    all.sort_by_key(|r| (r.meta().category, r.meta().id));
    all
}

/// Looks a rule up by id.
pub fn find(id: &str) -> Option<&'static dyn Rule> {
    all().into_iter().find(|r| r.meta().id == id)
}
