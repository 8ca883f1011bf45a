//! Turning a file into [`Statement`]s: split, parse each piece, repair or recognise what the
//! parser cannot read, and account for every statement.

use crate::directives::{self, Directive, DirectiveProblem, DirectiveScope};
use crate::recognise;
use crate::split::{self, Piece, PieceKind};
use sqlparser::dialect::{MsSqlDialect, PostgreSqlDialect};
use sqlparser::parser::{Parser, ParserError};
use std::sync::Arc;
use steward_core::statement::{Parsed, Statement};
use steward_core::{Dialect, Location, Position, SourceFile};

/// Deep nesting beyond this is refused by the parser rather than overflowing the stack.
const RECURSION_LIMIT: usize = 64;

/// A file after the front-end.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    pub source: SourceFile,
    pub dialect: Dialect,
    pub file_index: usize,
    pub statements: Vec<Statement>,
    /// `ignore-file` directives.
    pub file_directives: Vec<Directive>,
    /// Every directive (for checking rule ids).
    pub directives: Vec<Directive>,
    pub directive_problems: Vec<DirectiveProblem>,
}

/// Splits and parses a whole file.
pub fn parse_file(source: SourceFile, dialect: Dialect, file_index: usize) -> ParsedFile {
    let pieces = split::split(&source.text, dialect);
    let mut all_directives = Vec::new();
    let mut file_directives = Vec::new();
    let mut problems = Vec::new();
    // Directives first (cheap, in order); then the statements, which dominate the cost.
    let mut work: Vec<(&split::Piece, Vec<String>)> = Vec::new();
    for piece in &pieces {
        let mut next = Vec::new();
        for comment in &piece.leading_comments {
            let (found, bad) =
                directives::parse_comment(&source.text[comment.clone()], comment.clone());
            problems.extend(bad);
            for d in found {
                match d.scope {
                    DirectiveScope::File => file_directives.push(d.clone()),
                    DirectiveScope::NextStatement => next.extend(suppression_ids(&d)),
                }
                all_directives.push(d);
            }
        }
        if piece.kind == PieceKind::Statement {
            work.push((piece, next));
        }
    }
    let parsed = parse_pieces(&source, dialect, file_index, &work);
    let mut statements = Vec::with_capacity(parsed.len());
    for (mut group, (_, next)) in parsed.into_iter().zip(work) {
        // A directive applies to the statement right after it.
        if let Some(first) = group.first_mut() {
            first.suppressions = next;
        }
        statements.append(&mut group);
    }
    ParsedFile {
        source,
        dialect,
        file_index,
        statements,
        file_directives,
        directives: all_directives,
        directive_problems: problems,
    }
}

/// Parses statement pieces, on several threads for large inputs (statements are independent;
/// parsing is most of the time of a lint run). Results keep the pieces' order.
fn parse_pieces(
    source: &SourceFile,
    dialect: Dialect,
    file_index: usize,
    work: &[(&split::Piece, Vec<String>)],
) -> Vec<Vec<Statement>> {
    const PARALLEL_FROM_BYTES: usize = 64 * 1024;
    let one = |piece: &split::Piece| {
        let mut out = Vec::new();
        parse_piece(source, dialect, file_index, piece, &mut out);
        out
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    if threads < 2 || source.text.len() < PARALLEL_FROM_BYTES || work.len() < 2 * threads {
        return work.iter().map(|(piece, _)| one(piece)).collect();
    }
    let chunk = work.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = work
            .chunks(chunk)
            .map(|part| {
                // The main thread's stack size: deeply nested SQL recurses in the parser.
                std::thread::Builder::new()
                    .stack_size(8 << 20)
                    .spawn_scoped(scope, move || {
                        part.iter().map(|(piece, _)| one(piece)).collect::<Vec<_>>()
                    })
            })
            .collect();
        let mut out = Vec::with_capacity(work.len());
        for (handle, part) in handles.into_iter().zip(work.chunks(chunk)) {
            match handle.map(|h| h.join()) {
                Ok(Ok(v)) => out.extend(v),
                // A panic while parsing is a bug; re-raise it on this thread.
                Ok(Err(panic)) => std::panic::resume_unwind(panic),
                // No thread to be had: parse this part here.
                Err(_) => out.extend(part.iter().map(|(piece, _)| one(piece))),
            }
        }
        out
    })
}

/// Parses SQL that is not a file (a workload query, an MCP request, a function body).
pub fn parse_text(text: &str, dialect: Dialect, label: &str) -> Vec<Statement> {
    parse_file(SourceFile::new(label, text), dialect, 0).statements
}

fn suppression_ids(d: &Directive) -> Vec<String> {
    if d.rules.is_empty() {
        vec!["*".to_string()]
    } else {
        d.rules.clone()
    }
}

fn parse_piece(
    source: &SourceFile,
    dialect: Dialect,
    file_index: usize,
    piece: &Piece,
    out: &mut Vec<Statement>,
) {
    let text = &source.text[piece.range.clone()];
    match parse_one(text, dialect) {
        Ok((mut asts, removed)) if asts.len() == 1 => {
            let ast = asts.remove(0);
            let mut statement = make(
                source,
                dialect,
                file_index,
                piece.range.clone(),
                Parsed::Ast(Box::new(ast)),
            );
            statement.removed = removed;
            out.push(statement);
        }
        Ok((asts, _)) if asts.is_empty() => {}
        Ok((asts, _)) => {
            split_by_spans(source, dialect, file_index, piece.range.clone(), asts, out)
        }
        Err(error) => {
            if dialect == Dialect::Tsql && split_tsql_by_lines(source, file_index, piece, out) {
                return;
            }
            let parsed = recognise::recover(text, dialect, error_message(&error)).unwrap_or_else(
                |message| Parsed::Error {
                    location: error_location(source, piece.range.clone(), &message),
                    message: strip_position(&message),
                },
            );
            out.push(make(
                source,
                dialect,
                file_index,
                piece.range.clone(),
                parsed,
            ));
        }
    }
}

/// Statements parsed from a piece, and the keywords a repair had to remove first.
pub(crate) type Asts = (Vec<sqlparser::ast::Statement>, Vec<String>);

/// Parses one piece, trying position-preserving repairs when the parser fails as written.
pub(crate) fn parse_one(text: &str, dialect: Dialect) -> Result<Asts, ParserError> {
    match parse_raw(text, dialect) {
        Ok(statements) => Ok((statements, Vec::new())),
        Err(error) => {
            for repair in crate::repair::candidates(text, dialect) {
                if let Ok(statements) = parse_raw(&repair.text, dialect) {
                    return Ok((statements, repair.removed));
                }
            }
            Err(error)
        }
    }
}

pub(crate) fn parse_raw(
    text: &str,
    dialect: Dialect,
) -> Result<Vec<sqlparser::ast::Statement>, ParserError> {
    match dialect {
        Dialect::Postgres => Parser::new(&PostgreSqlDialect {})
            .with_recursion_limit(RECURSION_LIMIT)
            .try_with_sql(text)?
            .parse_statements(),
        Dialect::Tsql => Parser::new(&MsSqlDialect {})
            .with_recursion_limit(RECURSION_LIMIT)
            .try_with_sql(text)?
            .parse_statements(),
    }
}

/// The parser's message without its trailing `at Line: …, Column: …` (the diagnostic
/// carries the location).
pub(crate) fn strip_position(message: &str) -> String {
    match message.rfind(" at Line: ") {
        Some(at) => message[..at].to_string(),
        None => message.to_string(),
    }
}

fn error_message(error: &ParserError) -> String {
    match error {
        ParserError::TokenizerError(m) | ParserError::ParserError(m) => m.clone(),
        ParserError::RecursionLimitExceeded => "statement is nested too deeply to analyse".into(),
    }
}

/// sqlparser reports `… at Line: 3, Column: 8`; point there.
fn error_location(source: &SourceFile, range: std::ops::Range<usize>, message: &str) -> Location {
    let base = source.position(range.start);
    let mut location = source.location(range);
    if let Some(at) = message.rfind("Line: ") {
        let tail = &message[at + 6..];
        let line = tail
            .split(',')
            .next()
            .and_then(|l| l.trim().parse::<u32>().ok());
        let column = tail.split("Column: ").nth(1).and_then(|c| {
            c.trim()
                .trim_end_matches(|ch: char| !ch.is_ascii_digit())
                .parse::<u32>()
                .ok()
        });
        if let (Some(line), Some(column)) = (line, column) {
            let p = Position::new(line, column).offset_by(base);
            location.span = steward_core::Span::new(p, p);
        }
    }
    location
}

fn make(
    source: &SourceFile,
    dialect: Dialect,
    file_index: usize,
    range: std::ops::Range<usize>,
    mut parsed: Parsed,
) -> Statement {
    if let Parsed::Ast(ast) = &mut parsed {
        if is_data_load(ast) {
            parsed = Parsed::Recognised {
                kind: DATA_LOAD.into(),
                analysed: true,
            };
        } else {
            slim(ast);
        }
    }
    Statement {
        text: Arc::from(&source.text[range.clone()]),
        location: source.location(range.clone()),
        base: source.position(range.start),
        range,
        file_index,
        dialect,
        parsed,
        suppressions: Vec::new(),
        removed: Vec::new(),
    }
}

/// An `INSERT … VALUES` of literals only: a row of a data dump. Nothing in it concerns any
/// rule, and its AST costs ~10 KB (sqlparser's statement types are large), so dumps with
/// thousands of such rows keep only their text.
fn is_data_load(ast: &sqlparser::ast::Statement) -> bool {
    use sqlparser::ast::{Expr, SetExpr, Statement as S, UnaryOperator};
    fn literal(e: &Expr) -> bool {
        match e {
            Expr::Value(_) | Expr::TypedString { .. } => true,
            Expr::UnaryOp {
                op: UnaryOperator::Minus | UnaryOperator::Plus,
                expr,
            } => literal(expr),
            Expr::Cast { expr, .. } | Expr::Nested(expr) => literal(expr),
            _ => false,
        }
    }
    let S::Insert(insert) = ast else { return false };
    let Some(source) = &insert.source else {
        return false;
    };
    match source.body.as_ref() {
        SetExpr::Values(values) => {
            source.with.is_none()
                && insert.returning.is_none()
                && insert.on.is_none()
                && values.rows.iter().all(|row| row.iter().all(literal))
        }
        _ => false,
    }
}

/// The table a data-load statement (kept as text, see [`is_data_load`]) inserts into.
pub fn data_load_target(statement: &Statement) -> Option<sqlparser::ast::ObjectName> {
    if !matches!(&statement.parsed, Parsed::Recognised { kind, .. } if kind == DATA_LOAD) {
        return None;
    }
    let dialect: Box<dyn sqlparser::dialect::Dialect> = match statement.dialect {
        Dialect::Postgres => Box::new(PostgreSqlDialect {}),
        Dialect::Tsql => Box::new(MsSqlDialect {}),
    };
    let mut parser = Parser::new(dialect.as_ref())
        .try_with_sql(&statement.text)
        .ok()?;
    parser
        .expect_keyword(sqlparser::keywords::Keyword::INSERT)
        .ok()?;
    parser
        .expect_keyword(sqlparser::keywords::Keyword::INTO)
        .ok()?;
    parser.parse_object_name(false).ok()
}

/// The `kind` of statements kept as text because they only load data.
pub const DATA_LOAD: &str = "INSERT … VALUES (data)";

/// Keeps only the first row of a multi-row `INSERT … VALUES`: no rule reads the data of a data
/// load, and its AST costs about 100 bytes per value (a 600 KB dump would take 60 MB).
fn slim(ast: &mut sqlparser::ast::Statement) {
    if let sqlparser::ast::Statement::Insert(insert) = ast {
        if let Some(source) = &mut insert.source {
            if let sqlparser::ast::SetExpr::Values(values) = source.body.as_mut() {
                values.rows.truncate(1);
            }
        }
    }
}

/// T-SQL needs no semicolons: one piece may hold several statements. Cut it where each
/// statement's AST span starts.
fn split_by_spans(
    source: &SourceFile,
    dialect: Dialect,
    file_index: usize,
    range: std::ops::Range<usize>,
    asts: Vec<sqlparser::ast::Statement>,
    out: &mut Vec<Statement>,
) {
    use sqlparser::ast::Spanned;
    let piece = &source.text[range.clone()];
    let line_offsets: Vec<usize> = std::iter::once(0)
        .chain(piece.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let offset_of = |line: u64, column: u64| -> Option<usize> {
        let start = *line_offsets.get((line as usize).checked_sub(1)?)?;
        let rest = &piece[start..];
        let col = (column as usize).checked_sub(1)?;
        Some(start + rest.char_indices().nth(col).map_or(rest.len(), |(i, _)| i))
    };
    let starts: Vec<Option<usize>> = asts
        .iter()
        .map(|a| {
            let s = a.span();
            if s.start.line == 0 {
                None
            } else {
                offset_of(s.start.line, s.start.column)
            }
        })
        .collect();
    let count = asts.len();
    for (i, ast) in asts.into_iter().enumerate() {
        let start = if i == 0 { Some(0) } else { starts[i] };
        let end = starts.get(i + 1).copied().flatten().unwrap_or(piece.len());
        let sub = match start {
            Some(s) if s < end => range.start + s..range.start + piece[..end].trim_end().len(),
            // Without spans, every statement points at the whole piece.
            _ => range.clone(),
        };
        let _ = count;
        out.push(make(
            source,
            dialect,
            file_index,
            sub,
            Parsed::Ast(Box::new(ast)),
        ));
    }
}

/// T-SQL fallback when a semicolon-less piece fails as a whole: cut it before lines that
/// start a new statement, and parse each part on its own so one bad statement does not hide
/// the rest. Returns false (and adds nothing) when that does not split anything.
fn split_tsql_by_lines(
    source: &SourceFile,
    file_index: usize,
    piece: &Piece,
    out: &mut Vec<Statement>,
) -> bool {
    let text = &source.text[piece.range.clone()];
    let cuts = recognise::tsql_statement_starts(text);
    if cuts.len() < 2 {
        return false;
    }
    for (i, start) in cuts.iter().enumerate() {
        let end = cuts.get(i + 1).copied().unwrap_or(text.len());
        let sub_text = text[*start..end].trim_end();
        if sub_text.is_empty() {
            continue;
        }
        let range = piece.range.start + start..piece.range.start + start + sub_text.len();
        let sub_piece = Piece {
            kind: PieceKind::Statement,
            range,
            leading_comments: Vec::new(),
            batch: piece.batch,
        };
        let sub_text_owned = &source.text[sub_piece.range.clone()];
        match parse_one(sub_text_owned, Dialect::Tsql) {
            Ok((asts, removed)) if asts.len() == 1 => {
                if let Some(ast) = asts.into_iter().next() {
                    let mut statement = make(
                        source,
                        Dialect::Tsql,
                        file_index,
                        sub_piece.range,
                        Parsed::Ast(Box::new(ast)),
                    );
                    statement.removed = removed;
                    out.push(statement);
                }
            }
            Ok((asts, _)) if asts.len() > 1 => split_by_spans(
                source,
                Dialect::Tsql,
                file_index,
                sub_piece.range,
                asts,
                out,
            ),
            Ok(_) => {}
            Err(error) => {
                let parsed =
                    recognise::recover(sub_text_owned, Dialect::Tsql, error_message(&error))
                        .unwrap_or_else(|message| Parsed::Error {
                            location: error_location(source, sub_piece.range.clone(), &message),
                            message: strip_position(&message),
                        });
                out.push(make(
                    source,
                    Dialect::Tsql,
                    file_index,
                    sub_piece.range,
                    parsed,
                ));
            }
        }
    }
    true
}
