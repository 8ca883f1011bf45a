//! Migration rules.

pub mod require_concurrent_index;

use crate::rule::Rule;

/// Every rule of this category.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![&require_concurrent_index::RequireConcurrentIndex]
}
