//! What a rule sees.

use sqlparser::ast::Spanned;
use std::sync::Arc;
use steward_core::model::{Model, QualName};
use steward_core::statement::Statement;
use steward_core::{Dialect, Location, Position, Span};

/// A statement as written, with the schema as it stood before it.
pub struct StatementCtx<'a> {
    pub statement: &'a Statement,
    /// The model before this statement was applied.
    pub before: &'a Model,
    /// The model after every statement of the run (to tell "created later" from "unknown").
    pub after_all: &'a Model,
    /// Position of this statement in the run (0-based, across files).
    pub index: usize,
    /// The statements before this one in the same file (e.g. a `SET lock_timeout`).
    pub earlier_in_file: &'a [Statement],
}

impl StatementCtx<'_> {
    pub fn dialect(&self) -> Dialect {
        self.statement.dialect
    }

    /// Location of an AST node of this statement.
    pub fn locate(&self, node: &impl Spanned) -> Location {
        self.statement.locate(node.span())
    }

    pub fn location(&self) -> Location {
        self.statement.location.clone()
    }

    /// Whether a table was created in an earlier file of the run or is not created by the
    /// run at all (so it exists, with data, when this statement runs): the precondition of
    /// every migration-safety rule.
    pub fn table_preexists(&self, name: &QualName) -> bool {
        match self.before.table(name) {
            Some(t) => t
                .created_in_file()
                .is_none_or(|file| file < self.statement.file_index),
            None => !self.after_all.has_relation(name) || self.created_later(name).is_none(),
        }
    }

    /// The location where a relation is created later in the run, if it is.
    pub fn created_later(&self, name: &QualName) -> Option<&Location> {
        if self.before.has_relation(name) {
            return None;
        }
        let origin = self
            .after_all
            .table(name)
            .map(|t| &t.origin)
            .or_else(|| self.after_all.view(name).map(|v| &v.origin))?;
        let location = origin.location()?;
        let file = origin.file_index()?;
        let later = file > self.statement.file_index
            || (file == self.statement.file_index
                && location.span.start > self.statement.location.span.start);
        later.then_some(location)
    }
}

/// Where a query came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuerySource {
    /// A statement of a file.
    Statement,
    /// The defining query of a view.
    View(QualName),
    /// A statement inside a function or procedure body.
    Routine(QualName),
    /// A query of a live workload (pg_stat_statements, logs).
    Workload,
}

/// How to turn AST spans of a query into file locations.
#[derive(Debug, Clone)]
pub enum Locator<'a> {
    /// The query is a statement of a file.
    Statement(&'a Statement),
    /// The query text starts at `base` in `path` (a routine body).
    Base { path: Arc<str>, base: Position },
    /// No file (live catalog, workload).
    None,
}

/// One query, wherever it came from.
pub struct QueryCtx<'a> {
    pub query: &'a sqlparser::ast::Statement,
    /// The query's own text.
    pub text: &'a str,
    pub source: QuerySource,
    pub locator: Locator<'a>,
    /// The final schema model (for column and index knowledge).
    pub model: &'a Model,
    pub dialect: Dialect,
    /// How often it ran, for workload queries.
    pub calls: Option<u64>,
}

impl QueryCtx<'_> {
    /// Location of an AST node (none for live queries).
    pub fn locate(&self, node: &impl Spanned) -> Option<Location> {
        let span = node.span();
        match &self.locator {
            Locator::Statement(s) => Some(s.locate(span)),
            Locator::Base { path, base } => Some(Location {
                path: path.clone(),
                span: Span::from_parser(span, *base).unwrap_or_else(|| Span::point(*base)),
            }),
            Locator::None => None,
        }
    }

    /// Location of the whole query.
    pub fn location(&self) -> Option<Location> {
        match &self.locator {
            Locator::Statement(s) => Some(s.location.clone()),
            Locator::Base { path, base } => Some(Location {
                path: path.clone(),
                span: Span::point(*base),
            }),
            Locator::None => None,
        }
    }

    /// The object a finding in this query concerns when nothing more specific applies.
    pub fn context_object(&self) -> Option<String> {
        match &self.source {
            QuerySource::View(n) | QuerySource::Routine(n) => Some(n.to_string()),
            _ => None,
        }
    }

    /// True for queries inside a routine body (variables look like columns there).
    pub fn in_routine(&self) -> bool {
        matches!(self.source, QuerySource::Routine(_))
    }
}

/// The finished model.
pub struct ModelCtx<'a> {
    pub model: &'a Model,
    /// True when the model was read from a live server.
    pub live: bool,
}
