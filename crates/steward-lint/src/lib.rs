//! steward-lint
