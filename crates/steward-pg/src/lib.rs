//! steward-pg
