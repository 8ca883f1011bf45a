//! Tokens with byte ranges, on top of sqlparser's tokenizer. Used where the AST is not
//! enough (or not available): repairs, recognition of unsupported statements, token-level
//! rules such as keyword case.

use sqlparser::dialect::{MsSqlDialect, PostgreSqlDialect};
use sqlparser::tokenizer::{Token, Tokenizer};
use steward_core::Dialect;

/// A token and the bytes it covers in the text that was tokenized.
#[derive(Debug, Clone)]
pub struct Lexeme {
    pub token: Token,
    pub range: std::ops::Range<usize>,
}

impl Lexeme {
    /// The upper-cased word, for unquoted words (keywords and plain identifiers).
    pub fn word(&self) -> Option<String> {
        match &self.token {
            Token::Word(w) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
            _ => None,
        }
    }

    pub fn is_word(&self, upper: &str) -> bool {
        matches!(&self.token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(upper))
    }

    pub fn is_trivia(&self) -> bool {
        matches!(self.token, Token::Whitespace(_))
    }
}

/// Tokenizes `text`; whitespace and comments are dropped unless `keep_trivia`.
pub fn lex(text: &str, dialect: Dialect, keep_trivia: bool) -> Result<Vec<Lexeme>, String> {
    let tokens = match dialect {
        Dialect::Postgres => Tokenizer::new(&PostgreSqlDialect {}, text)
            .with_unescape(false)
            .tokenize_with_location(),
        Dialect::Tsql => Tokenizer::new(&MsSqlDialect {}, text)
            .with_unescape(false)
            .tokenize_with_location(),
    }
    .map_err(|e| e.to_string())?;
    let lines = LineOffsets::new(text);
    let mut out = Vec::with_capacity(tokens.len());
    for t in tokens {
        if !keep_trivia && matches!(t.token, Token::Whitespace(_)) {
            continue;
        }
        if matches!(t.token, Token::EOF) {
            continue;
        }
        let start = lines.offset(text, t.span.start.line, t.span.start.column);
        let end = lines.offset(text, t.span.end.line, t.span.end.column);
        out.push(Lexeme {
            token: t.token,
            range: start..end.max(start),
        });
    }
    Ok(out)
}

/// Converts sqlparser's (line, column) pairs into byte offsets.
struct LineOffsets {
    starts: Vec<usize>,
}

impl LineOffsets {
    fn new(text: &str) -> Self {
        LineOffsets {
            starts: std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect(),
        }
    }

    fn offset(&self, text: &str, line: u64, column: u64) -> usize {
        let Some(&start) = (line as usize)
            .checked_sub(1)
            .and_then(|l| self.starts.get(l))
        else {
            return text.len();
        };
        let col = (column as usize).saturating_sub(1);
        let rest = &text[start..];
        // Columns count characters; on ASCII lines that is the byte offset.
        if rest.is_char_boundary(col.min(rest.len())) && rest[..col.min(rest.len())].is_ascii() {
            return start + col.min(rest.len());
        }
        start + rest.char_indices().nth(col).map_or(rest.len(), |(i, _)| i)
    }
}

/// Replaces the given byte ranges with spaces, keeping every other position in place (so AST
/// spans of the repaired text still point into the original).
pub fn blank(text: &str, ranges: &[std::ops::Range<usize>]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for r in ranges {
        for i in r.clone() {
            if let Some(b) = bytes.get_mut(i) {
                // Keep newlines so line numbers stay right.
                if *b != b'\n' {
                    *b = b' ';
                }
            }
        }
    }
    // Blanking whole tokens never splits a character, but be safe with multi-byte input.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_point_at_the_token_text() {
        let sql = "SELECT ä,\n  \"b\" FROM t";
        let toks = lex(sql, Dialect::Postgres, false).unwrap();
        let texts: Vec<&str> = toks.iter().map(|t| &sql[t.range.clone()]).collect();
        assert_eq!(texts, vec!["SELECT", "ä", ",", "\"b\"", "FROM", "t"]);
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)] // one range is the case under test
    fn blank_keeps_positions() {
        let ranges = vec![2..14];
        assert_eq!(blank("a WITH NO DATA;", &ranges), "a             ;");
    }
}
