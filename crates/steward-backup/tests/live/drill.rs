//! The PITR drill runs for real: base backup, archived WAL, a mistaken DELETE, recovery to the
//! moment before it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[test]
fn drill_recovers_to_the_moment_before_the_mistake() {
    let report = steward_backup::drill().unwrap_or_else(|e| panic!("drill failed: {e}"));
    assert_eq!(report.recovered_rows, 1500, "{report:#?}");
    assert!(report.ok());
    assert_eq!(report.steps.len(), 4);
}
