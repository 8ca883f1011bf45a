//! Statements read from a file (or a catalog, or a workload), with what became of each.

use crate::dialect::Dialect;
use crate::source::{Location, Position};
use std::sync::Arc;

/// What became of one statement.
#[derive(Debug, Clone)]
pub enum Parsed {
    /// Parsed into an AST (possibly after position-preserving repairs).
    Ast(Box<sqlparser::ast::Statement>),
    /// Not parsable as written, but an equivalent statement was recovered (e.g. T-SQL
    /// `ADD CONSTRAINT … DEFAULT … FOR col`). Its AST spans do not point into the file.
    Rewritten {
        kind: String,
        ast: Box<sqlparser::ast::Statement>,
    },
    /// Valid SQL that the parser does not support, recognised by its leading keywords.
    /// `analysed` is true when what the model needs was recovered anyway.
    Recognised { kind: String, analysed: bool },
    /// Could not be parsed; the parser's message.
    Error { message: String, location: Location },
}

/// One statement and where it sits.
#[derive(Debug, Clone)]
pub struct Statement {
    pub text: Arc<str>,
    /// Byte range of `text` in its file.
    pub range: std::ops::Range<usize>,
    pub location: Location,
    /// Position of the first character (AST spans are relative to it).
    pub base: Position,
    pub file_index: usize,
    pub dialect: Dialect,
    pub parsed: Parsed,
    /// Leading `-- steward: ignore[...]` suppressions that apply to this statement.
    pub suppressions: Vec<String>,
    /// Upper-case keywords a repair removed before parsing (the AST lacks them), e.g.
    /// `CONCURRENTLY` of `DROP INDEX CONCURRENTLY`, `PROCEDURE` read as a function.
    pub removed: Vec<String>,
}

impl Statement {
    /// Whether a repair removed this keyword before parsing.
    pub fn removed(&self, keyword: &str) -> bool {
        self.removed.iter().any(|k| k.eq_ignore_ascii_case(keyword))
    }

    pub fn ast(&self) -> Option<&sqlparser::ast::Statement> {
        match &self.parsed {
            Parsed::Ast(ast) | Parsed::Rewritten { ast, .. } => Some(ast),
            _ => None,
        }
    }

    /// Whether the model learnt from this statement what it needed.
    pub fn analysed(&self) -> bool {
        match &self.parsed {
            Parsed::Ast(_) | Parsed::Rewritten { .. } => true,
            Parsed::Recognised { analysed, .. } => *analysed,
            Parsed::Error { .. } => false,
        }
    }

    /// The location of a byte range of this statement's text (for token-level rules).
    pub fn locate_bytes(&self, range: std::ops::Range<usize>) -> Location {
        let at = |offset: usize| {
            let mut offset = offset.min(self.text.len());
            while !self.text.is_char_boundary(offset) {
                offset -= 1;
            }
            let before = &self.text[..offset];
            let line = before.matches('\n').count() as u32 + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
            crate::source::Position::new(line, column).offset_by(self.base)
        };
        Location {
            path: self.location.path.clone(),
            span: crate::source::Span::new(at(range.start), at(range.end)),
        }
    }

    /// A location for a node inside this statement's AST.
    pub fn locate(&self, span: sqlparser::tokenizer::Span) -> Location {
        if matches!(self.parsed, Parsed::Rewritten { .. }) {
            return self.location.clone();
        }
        match crate::source::Span::from_parser(span, self.base) {
            Some(span) => Location {
                path: self.location.path.clone(),
                span,
            },
            None => self.location.clone(),
        }
    }
}
