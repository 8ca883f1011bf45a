use crate::prelude::*;

declare_rule! {
    /// Reports malformed `steward:` directives and unknown rule ids in them.
    ///
    /// ## What it does
    /// Checks every `-- steward: ignore[…]` and `-- steward: ignore-file[…]` comment: the
    /// directive must be spelled right and every id must be a rule steward has.
    ///
    /// ## Why it matters
    /// A misspelled suppression silently suppresses nothing — or, worse, the finding it was
    /// meant for returns after a rename and nobody notices the comment is dead.
    ///
    /// ## Example
    /// ```sql
    /// -- steward: ignore[select-stars]
    /// SELECT * FROM t;
    /// ```
    ///
    /// ## Fix
    /// Use an id from `steward rules`: `-- steward: ignore[select-star]`.
    pub struct InvalidSuppression {
        id: "invalid-suppression",
        category: Correctness,
        severity: Warning,
        dialects: [Postgres, Tsql],
        scope: Statement,
    }
}

impl Rule for InvalidSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    // Findings are produced by the lint driver, which sees the directives.
}
