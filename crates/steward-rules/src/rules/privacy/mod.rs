//! Privacy rules.

pub mod opt_in_default_true;
pub mod pii;
pub mod pii_in_audit_log;
pub mod sensitive_column_plaintext;
pub mod special_category_data;

use crate::rule::Rule;

/// Every rule of this category.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &sensitive_column_plaintext::SensitiveColumnPlaintext,
        &special_category_data::SpecialCategoryData,
        &opt_in_default_true::OptInDefaultTrue,
        &pii_in_audit_log::PiiInAuditLog,
    ]
}
