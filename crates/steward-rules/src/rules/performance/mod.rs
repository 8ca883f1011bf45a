//! Performance rules.

pub mod select_star;

use crate::rule::Rule;

/// Every rule of this category.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![&select_star::SelectStar]
}
