//! Every live check documents itself like a lint rule and has a unique id.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use steward_rules::rule::Scope;

#[test]
fn live_checks_are_documented_and_unique() {
    let mut ids: BTreeSet<&str> = steward_rules::registry::all()
        .iter()
        .map(|r| r.meta().id)
        .collect();
    let checks = steward_pg::checks::all();
    assert!(checks.len() >= 25, "{}", checks.len());
    for check in checks {
        let m = check.meta();
        assert!(ids.insert(m.id), "duplicate id {}", m.id);
        assert_eq!(m.scope, Scope::Live, "{}", m.id);
        for section in [
            "## What it does",
            "## Why it matters",
            "## Example",
            "## Fix",
        ] {
            assert!(m.docs.contains(section), "{} lacks {section}", m.id);
        }
        assert!(
            m.docs.contains(&format!("`{}:", m.id)),
            "{}: the example shows its id",
            m.id
        );
        for t in check.thresholds() {
            assert!(
                t.default.is_finite() && !t.doc.is_empty(),
                "{}.{}",
                m.id,
                t.name
            );
            assert!(
                t.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}.{}",
                m.id,
                t.name
            );
            assert!(
                m.docs.contains(&format!("`{}`", t.name)),
                "{}: docs name threshold `{}`",
                m.id,
                t.name
            );
        }
    }
}
