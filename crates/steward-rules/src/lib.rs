//! steward-rules
