//! Source files and positions in them.
//!
//! Positions are 1-based lines and 1-based columns counted in characters, as editors show them.

use serde::Serialize;
use std::sync::Arc;

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

impl Position {
    pub const fn new(line: u32, column: u32) -> Self {
        Position { line, column }
    }

    /// Translates a position that is relative to a fragment starting at `base` into the
    /// enclosing text. Line 1 of the fragment starts at `base.column`; later lines start at
    /// column 1.
    pub fn offset_by(self, base: Position) -> Position {
        if self.line <= 1 {
            Position::new(base.line, base.column + self.column.saturating_sub(1))
        } else {
            Position::new(base.line + self.line - 1, self.column)
        }
    }
}

/// A range of text, start and end inclusive-exclusive by position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub struct Span {
    pub start: Position,
    pub end: Position,
}

impl Span {
    pub const fn new(start: Position, end: Position) -> Self {
        Span { start, end }
    }

    pub fn point(p: Position) -> Self {
        Span { start: p, end: p }
    }

    /// Converts a sqlparser span, which is relative to the parsed fragment, into this file's
    /// coordinates. Returns `None` for sqlparser's empty span (it has no location).
    pub fn from_parser(span: sqlparser::tokenizer::Span, base: Position) -> Option<Span> {
        if span.start.line == 0 {
            return None;
        }
        let start = Position::new(span.start.line as u32, span.start.column as u32);
        let end = Position::new(span.end.line as u32, span.end.column as u32);
        Some(Span::new(start.offset_by(base), end.offset_by(base)))
    }
}

/// Where a diagnostic points in a file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Location {
    pub path: Arc<str>,
    pub span: Span,
}

/// One input file with an index of its line starts, for turning byte offsets into positions.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user named it (relative paths stay relative).
    pub path: Arc<str>,
    pub text: Arc<str>,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: impl Into<Arc<str>>, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(memchr_newlines(text.as_bytes()).map(|i| i + 1));
        SourceFile {
            path: path.into(),
            text,
            line_starts,
        }
    }

    /// The position of a byte offset (clamped to the text, snapped back to a char boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let line_start = self.line_starts[line];
        let column = self.text[line_start..offset].chars().count() + 1;
        Position::new(line as u32 + 1, column as u32)
    }

    /// The span of a byte range.
    pub fn span(&self, range: std::ops::Range<usize>) -> Span {
        Span::new(self.position(range.start), self.position(range.end))
    }

    pub fn location(&self, range: std::ops::Range<usize>) -> Location {
        Location {
            path: self.path.clone(),
            span: self.span(range),
        }
    }

    /// The text of a 1-based line without its line terminator.
    pub fn line_text(&self, line: u32) -> Option<&str> {
        let idx = (line as usize).checked_sub(1)?;
        let start = *self.line_starts.get(idx)?;
        let end = self
            .line_starts
            .get(idx + 1)
            .copied()
            .unwrap_or(self.text.len());
        Some(self.text[start..end].trim_end_matches(['\n', '\r']))
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter_map(|(i, b)| (*b == b'\n').then_some(i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let f = SourceFile::new("a.sql", "ab\nçd;\n");
        assert_eq!(f.position(0), Position::new(1, 1));
        assert_eq!(f.position(3), Position::new(2, 1));
        // 'ç' is two bytes; 'd' is the second character of line 2.
        assert_eq!(f.position(5), Position::new(2, 2));
        assert_eq!(f.line_text(2), Some("çd;"));
        assert_eq!(f.line_text(9), None);
    }

    #[test]
    fn relative_positions_translate_into_the_file() {
        let base = Position::new(10, 5);
        assert_eq!(Position::new(1, 3).offset_by(base), Position::new(10, 7));
        assert_eq!(Position::new(2, 3).offset_by(base), Position::new(11, 3));
    }
}
