//! Integrity rules.

pub mod fk_without_index;

use crate::rule::Rule;

/// Every rule of this category.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![&fk_without_index::FkWithoutIndex]
}
