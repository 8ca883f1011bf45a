//! One module per pattern.

pub mod audit_trail;
pub mod consent;
pub mod erasure;
pub mod rls;
pub mod roles;
pub mod soft_delete;
pub mod updated_at;
