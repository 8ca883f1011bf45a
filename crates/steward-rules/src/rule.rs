//! What a rule is.

use crate::context::{ModelCtx, QueryCtx, StatementCtx};
use steward_core::{Category, Diagnostic, Dialect, RuleInfo, Severity};

/// What a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Each statement as written, with the model as it stood just before it (migrations,
    /// statement-level correctness and security).
    Statement,
    /// Each query: top-level statements, view and routine bodies, workload queries.
    Query,
    /// The finished schema model (files or a live catalog).
    Schema,
    /// A live server's statistics and settings (`steward audit` only; these checks live in
    /// `steward-pg` and have none of the hooks below).
    Live,
    /// Application source files (`steward lint --app-code`); findings come from the lint
    /// driver's scanner, not from these hooks.
    AppCode,
}

/// A rule's identity and documentation.
#[derive(Debug, Clone, Copy)]
pub struct RuleMeta {
    /// Stable kebab-case id that people type.
    pub id: &'static str,
    pub category: Category,
    pub severity: Severity,
    pub dialects: &'static [Dialect],
    pub scope: Scope,
    /// Off unless selected (style rules).
    pub default_enabled: bool,
    /// One sentence: what the rule finds (first line of the docs).
    pub summary: &'static str,
    /// Markdown: What it does / Why it matters / Example / Fix.
    pub docs: &'static str,
}

impl RuleMeta {
    /// A diagnostic of this rule with its default category and severity.
    pub fn diag(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.id, self.category, self.severity, message)
    }

    pub fn applies_to(&self, dialect: Dialect) -> bool {
        self.dialects.contains(&dialect)
    }

    pub fn info(&self) -> RuleInfo {
        RuleInfo {
            id: self.id,
            category: self.category,
            default_severity: self.severity,
            summary: self.summary,
            docs: self.docs,
        }
    }
}

/// A check. Implement the hook(s) matching the rule's [`Scope`]; the others stay empty.
pub trait Rule: Sync + Send {
    fn meta(&self) -> &'static RuleMeta;

    fn check_statement(&self, _ctx: &StatementCtx, _out: &mut Vec<Diagnostic>) {}

    fn check_query(&self, _ctx: &QueryCtx, _out: &mut Vec<Diagnostic>) {}

    fn check_schema(&self, _ctx: &ModelCtx, _out: &mut Vec<Diagnostic>) {}
}

/// Declares a rule: its doc comment *is* its documentation (`steward rule ID` prints it), and
/// the first doc line is its one-sentence summary.
///
/// ```text
/// declare_rule! {
///     /// Finds foreign keys without an index on their columns.
///     ///
///     /// ## What it does
///     /// …
///     pub struct FkWithoutIndex {
///         id: "fk-without-index",
///         category: Integrity,
///         severity: Warning,
///         dialects: [Postgres, Tsql],
///         scope: Schema,
///     }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        #[doc = $summary:literal]
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            id: $id:literal,
            category: $category:ident,
            severity: $severity:ident,
            dialects: [$($dialect:ident),+ $(,)?],
            scope: $scope:ident
            $(, default_enabled: $enabled:literal)?
            $(,)?
        }
    ) => {
        #[doc = $summary]
        $(#[doc = $doc])*
        pub struct $name;

        impl $name {
            pub const META: $crate::rule::RuleMeta = $crate::rule::RuleMeta {
                id: $id,
                category: steward_core::Category::$category,
                severity: steward_core::Severity::$severity,
                dialects: &[$(steward_core::Dialect::$dialect),+],
                scope: $crate::rule::Scope::$scope,
                default_enabled: $crate::declare_rule!(@enabled $($enabled)?),
                summary: $summary,
                docs: concat!($summary, "\n", $($doc, "\n"),*),
            };
        }
    };
    (@enabled) => { true };
    (@enabled $enabled:literal) => { $enabled };
}

/// Rule docs as Markdown: doc-comment lines lose the single leading space rustdoc keeps.
pub fn docs_text(docs: &str) -> String {
    docs.lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}
