//! Live checks: what only a running server can answer (statistics, settings, sessions, roles).
//!
//! Each check is one file with its documentation in the doc comment (declared with
//! [`steward_rules::declare_rule!`] and `scope: Live`, so `steward rules`, `--select` and
//! `steward.toml` treat it like any rule), at most one query in a `.sql` file beside it, and
//! its thresholds with defaults. A check reads its query's rows and the catalog model; it
//! never writes and never locks anything beyond AccessShareLock.

pub mod backup;
pub mod health;
pub mod indexes;
pub mod security;

use std::collections::BTreeMap;
use steward_core::model::Model;
use steward_core::Diagnostic;
use steward_rules::rule::RuleMeta;
use tokio_postgres::types::FromSql;
use tokio_postgres::Row;

/// A threshold a user can configure (`[thresholds.<check>]` in steward.toml or
/// `--threshold check.name=value`).
#[derive(Debug, Clone, Copy)]
pub struct Threshold {
    pub name: &'static str,
    pub default: f64,
    pub unit: &'static str,
    pub doc: &'static str,
}

/// What a check reads.
pub enum Source {
    /// Only the catalog model (which carries table and index statistics).
    Model,
    /// One query, run inside the audit's read-only transaction.
    Sql(&'static str),
    /// Not applicable here; the reason is reported as "not checked".
    Skip(String),
}

/// Facts about the server and the role the audit runs as.
#[derive(Debug, Clone, Default)]
pub struct ServerFacts {
    pub version_num: u32,
    pub superuser: bool,
    pub read_all_stats: bool,
    pub in_recovery: bool,
    /// Seconds since this database's statistics were reset (or the server started).
    pub stats_age_seconds: f64,
}

impl ServerFacts {
    pub fn major(&self) -> u32 {
        self.version_num / 10000
    }
}

/// What a check sees.
pub struct CheckCtx<'a> {
    pub server: &'a ServerFacts,
    pub model: &'a Model,
    pub meta: &'static RuleMeta,
    thresholds: &'a [Threshold],
    overrides: Option<&'a BTreeMap<String, f64>>,
}

impl<'a> CheckCtx<'a> {
    pub fn new(
        check: &'a dyn LiveCheck,
        server: &'a ServerFacts,
        model: &'a Model,
        overrides: Option<&'a BTreeMap<String, f64>>,
    ) -> Self {
        CheckCtx {
            server,
            model,
            meta: check.meta(),
            thresholds: check.thresholds(),
            overrides,
        }
    }

    /// The configured value of a threshold, or its default.
    pub fn threshold(&self, name: &str) -> f64 {
        if let Some(v) = self.overrides.and_then(|o| o.get(name)) {
            return *v;
        }
        self.thresholds
            .iter()
            .find(|t| t.name == name)
            .map_or(0.0, |t| t.default)
    }
}

/// A live check. See the module docs.
pub trait LiveCheck: Sync + Send {
    fn meta(&self) -> &'static RuleMeta;

    fn thresholds(&self) -> &'static [Threshold] {
        &[]
    }

    /// What this role cannot see, when the check runs but only partly (reported as
    /// "not checked" with the grant that would fix it).
    fn limitation(&self, _server: &ServerFacts) -> Option<String> {
        None
    }

    fn source(&self, server: &ServerFacts) -> Source;

    /// Turns the query's rows (empty for [`Source::Model`]) into findings.
    fn evaluate(
        &self,
        rows: &[Row],
        ctx: &CheckCtx,
        out: &mut Vec<Diagnostic>,
    ) -> Result<(), RowError>;
}

/// A row did not have the shape the check expects (a bug or an unsupported version).
#[derive(Debug, thiserror::Error)]
#[error("unexpected row shape: column `{column}`: {message}")]
pub struct RowError {
    pub column: String,
    pub message: String,
}

/// Reads a column, turning a type mismatch into an error instead of a panic.
pub fn get<'r, T: FromSql<'r>>(row: &'r Row, column: &str) -> Result<T, RowError> {
    row.try_get(column).map_err(|e| RowError {
        column: column.to_string(),
        message: e.to_string(),
    })
}

/// Limitation of checks that read other sessions from `pg_stat_activity`.
pub fn needs_read_all_stats(server: &ServerFacts) -> Option<String> {
    (!server.read_all_stats).then(|| {
        "only this role's own sessions are visible; grant `pg_monitor` (or `pg_read_all_stats`) to see all of them".to_string()
    })
}

/// `, application psql` for a session's description, or nothing when it has no name.
pub fn application(name: &str) -> String {
    if name.is_empty() {
        String::new()
    } else {
        format!(", application {name}")
    }
}

/// What every check file uses.
pub mod prelude {
    pub use super::{
        application, get, human_duration, ident, needs_read_all_stats, qualified, CheckCtx,
        LiveCheck, RowError, ServerFacts, Source, Threshold,
    };
    pub use steward_core::diagnostic::human_bytes;
    pub use steward_core::{Diagnostic, Severity};
    pub use steward_rules::declare_rule;
    pub use steward_rules::rule::RuleMeta;
    pub use tokio_postgres::Row;
}

/// Every live check, by category then id.
pub fn all() -> Vec<&'static dyn LiveCheck> {
    let mut all: Vec<&'static dyn LiveCheck> = [
        backup::checks(),
        health::checks(),
        indexes::checks(),
        security::checks(),
    ]
    .concat();
    all.sort_by_key(|c| (c.meta().category, c.meta().id));
    all
}

/// Looks a check up by id.
pub fn find(id: &str) -> Option<&'static dyn LiveCheck> {
    all().into_iter().find(|c| c.meta().id == id)
}

/// Quotes an identifier for generated SQL only when needed.
pub fn ident(name: &str) -> String {
    steward_rules::util::ident(name, steward_core::Dialect::Postgres)
}

/// `schema.name`, quoted as needed.
pub fn qualified(schema: &str, name: &str) -> String {
    format!("{}.{}", ident(schema), ident(name))
}

/// A duration in seconds as people read it.
pub fn human_duration(seconds: f64) -> String {
    let s = seconds.max(0.0);
    if s < 120.0 {
        format!("{s:.0} s")
    } else if s < 7200.0 {
        format!("{:.0} min", s / 60.0)
    } else if s < 172_800.0 {
        format!("{:.1} h", s / 3600.0)
    } else {
        format!("{:.1} days", s / 86400.0)
    }
}
