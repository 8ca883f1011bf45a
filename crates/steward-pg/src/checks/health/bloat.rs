//! What the two bloat estimates share: judging estimated waste against the thresholds.

use crate::checks::prelude::*;

pub(super) const THRESHOLDS: &[Threshold] = &[
    Threshold {
        name: "min-ratio",
        default: 0.5,
        unit: "ratio",
        doc: "share of the relation estimated to be wasted space",
    },
    Threshold {
        name: "min-bytes",
        default: 50.0 * 1024.0 * 1024.0,
        unit: "bytes",
        doc: "smallest estimated waste worth a finding",
    },
];

/// The estimated waste `(bytes, ratio)` when it crosses both thresholds.
pub(super) fn waste(row: &Row, ctx: &CheckCtx) -> Result<Option<(f64, f64)>, RowError> {
    let bytes: f64 = get(row, "bytes")?;
    let expected: f64 = get(row, "expected_bytes")?;
    let wasted = bytes - expected;
    if bytes <= 0.0 || wasted < ctx.threshold("min-bytes") || wasted <= 0.0 {
        return Ok(None);
    }
    let ratio = wasted / bytes;
    Ok((ratio >= ctx.threshold("min-ratio")).then_some((wasted, ratio)))
}
