//! steward-sql
