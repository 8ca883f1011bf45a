//! Every rule, one file each, grouped by category.

pub mod correctness {
    pub mod invalid_suppression;
    pub mod parse_error;
}
pub mod integrity {
    pub mod fk_without_index;
}
pub mod migration {
    pub mod require_concurrent_index;
}
pub mod performance {
    pub mod select_star;
}
