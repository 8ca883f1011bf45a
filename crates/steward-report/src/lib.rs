//! steward-report
