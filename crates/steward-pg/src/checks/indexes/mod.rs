//! Indexes: unused, invalid, and tables read mostly by sequential scans. (`redundant-index`
//! and `fk-without-index` are schema rules and run on the live model too.)

mod invalid_index;
mod seq_scan_heavy_table;
mod unused_index;

use super::LiveCheck;

pub fn checks() -> Vec<&'static dyn LiveCheck> {
    vec![
        &invalid_index::InvalidIndex,
        &seq_scan_heavy_table::SeqScanHeavyTable,
        &unused_index::UnusedIndex,
    ]
}
