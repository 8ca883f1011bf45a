//! Proven database patterns as SQL that fits the user's schema.
//!
//! Each pattern reads the [`Model`] — from migration files or a live catalog, the same model
//! `steward lint` and `steward audit` use — and writes a [`Script`]: reviewed, idempotent SQL
//! (running it twice changes nothing the second time) that is clean under `steward lint`.
//!
//! Scripts are a sequence of [`Step`]s. Everything runs in one transaction, except index
//! builds on tables that already exist: `CREATE INDEX CONCURRENTLY` cannot run inside a
//! transaction, and a plain `CREATE INDEX` would block every write to the table for the whole
//! build. Those follow the transaction, each on its own (and a step that depends on such an
//! index, like dropping the unique constraint it replaces, comes after it).

mod apply;
mod erasure_plan;
mod patterns;
mod script;
mod sql;
mod tables;

pub use apply::{apply, Applied, ApplyError};
pub use erasure_plan::{erasure_plan, ErasureAction, ErasurePlan, PlanEntry};
pub use script::{Script, Step};

use steward_core::model::Model;

/// A pattern `steward generate` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    AuditTrail,
    SoftDelete,
    UpdatedAt,
    Rls,
    Roles,
    Consent,
    Erasure,
}

impl Pattern {
    pub const ALL: [Pattern; 7] = [
        Pattern::AuditTrail,
        Pattern::SoftDelete,
        Pattern::UpdatedAt,
        Pattern::Rls,
        Pattern::Roles,
        Pattern::Consent,
        Pattern::Erasure,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Pattern::AuditTrail => "audit-trail",
            Pattern::SoftDelete => "soft-delete",
            Pattern::UpdatedAt => "updated-at",
            Pattern::Rls => "rls",
            Pattern::Roles => "roles",
            Pattern::Consent => "consent",
            Pattern::Erasure => "erasure",
        }
    }

    pub fn summary(self) -> &'static str {
        match self {
            Pattern::AuditTrail => "append-only audit log of every change, personal data redacted",
            Pattern::SoftDelete => {
                "deleted_at, live-row views, unique keys that soft-deleted rows free"
            }
            Pattern::UpdatedAt => "a trigger that keeps every updated_at column current",
            Pattern::Rls => "tenant isolation with row-level security the owner cannot bypass",
            Pattern::Roles => "least-privilege roles: owner, migrator, read-write, read-only, mcp",
            Pattern::Consent => "a consent ledger, has_consent() and the current consent view",
            Pattern::Erasure => "erase_subject(id): GDPR erasure along every foreign-key path",
        }
    }

    pub fn from_id(id: &str) -> Option<Pattern> {
        Pattern::ALL.into_iter().find(|p| p.id() == id)
    }
}

/// What the user asked for, beyond the pattern.
#[derive(Debug, Clone)]
pub struct Options {
    /// Tables to cover (`name` or `schema.name`); empty means every table the pattern fits.
    pub tables: Vec<String>,
    /// Prefix of role names (`roles`, and the roles `rls` assumes).
    pub role_prefix: String,
    /// The tenant column for `rls`.
    pub tenant_column: String,
    /// The table whose rows are the people (`consent`, `erasure`); detected when `None`.
    pub subject_table: Option<String>,
    /// Extra columns to redact in the audit trail (`table.column` or `column`).
    pub redact: Vec<String>,
    /// Columns detected as personal data that the audit trail should keep anyway.
    pub keep: Vec<String>,
    /// `soft-delete`: also turn `DELETE` into setting `deleted_at`.
    pub delete_trigger: bool,
    /// Tables `erasure` must keep (anonymised), with the legal reason: `table=reason`.
    pub retain: Vec<(String, String)>,
    /// The server's major version when known (live); files assume a current server.
    pub server_major: Option<u32>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            tables: Vec::new(),
            role_prefix: "app".to_string(),
            tenant_column: "tenant_id".to_string(),
            subject_table: None,
            redact: Vec::new(),
            keep: Vec::new(),
            delete_trigger: false,
            retain: Vec::new(),
            server_major: None,
        }
    }
}

/// Why a pattern cannot be generated for this schema.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("{0}")]
    NotApplicable(String),
    #[error("unknown table `{0}` (given with --table or --subject-table)")]
    UnknownTable(String),
}

/// Generates `pattern` for `model`.
pub fn generate(
    pattern: Pattern,
    model: &Model,
    options: &Options,
) -> Result<Script, GenerateError> {
    if model.dialect != steward_core::Dialect::Postgres {
        return Err(GenerateError::NotApplicable(
            "generators write PostgreSQL; the schema given is T-SQL".to_string(),
        ));
    }
    match pattern {
        Pattern::AuditTrail => patterns::audit_trail::generate(model, options),
        Pattern::SoftDelete => patterns::soft_delete::generate(model, options),
        Pattern::UpdatedAt => patterns::updated_at::generate(model, options),
        Pattern::Rls => patterns::rls::generate(model, options),
        Pattern::Roles => patterns::roles::generate(model, options),
        Pattern::Consent => patterns::consent::generate(model, options),
        Pattern::Erasure => patterns::erasure::generate(model, options),
    }
}
