//! Statement texts reduced to their shape: every constant becomes a parameter (`$1`, `$2`…),
//! lists of constants collapse to one parameter, comments go and spacing is canonical, so
//! `WHERE id IN (1, 2, 3)` from one request and `WHERE id  IN (7)` from the next are the same
//! query. Literal values never survive (logs hold personal data); their hash is kept so callers
//! can tell "the same query with varying values" from "the same values again".
//!
//! Uses sqlparser's PostgreSQL tokenizer, so strings, dollar quoting, `E''` escapes, comments
//! and quoted identifiers are read the way the server reads them.

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Token, Tokenizer};
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// A statement's shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalised {
    /// The text with constants replaced by `$n` (numbered in order of appearance).
    pub text: String,
    /// A hash of the constants and parameter names replaced, in order (never the values).
    pub values_hash: u64,
    /// How many constants were replaced.
    pub constants: usize,
}

/// Why a text has no shape: the tokenizer rejected it (an unterminated string, say). The
/// message never contains the text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the statement could not be tokenized ({0} bytes); it is left out and never printed")]
pub struct Untokenizable(pub usize);

/// One token of the shape being built.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    /// A parameter: a constant (`None`) or an existing `$k` placeholder (`Some("$k")`).
    Param(Option<String>),
    /// Any other token, printed as is.
    Token(Token),
}

/// Reduces a statement text to its shape.
pub fn normalise(text: &str) -> Result<Normalised, Untokenizable> {
    let dialect = PostgreSqlDialect {};
    let tokens = Tokenizer::new(&dialect, text)
        .with_unescape(false)
        .tokenize()
        .map_err(|_| Untokenizable(text.len()))?;
    let mut hasher = DefaultHasher::new();
    let mut constants = 0;
    let mut pieces: Vec<Piece> = Vec::with_capacity(tokens.len());
    for token in tokens {
        match token {
            Token::Whitespace(_) | Token::EOF => continue,
            ref t if is_constant(t) => {
                t.to_string().hash(&mut hasher);
                constants += 1;
                // `- 5` after an operator or `(` is one negative constant.
                if matches!(pieces.last(), Some(Piece::Token(Token::Minus)))
                    && !ends_operand(pieces.get(pieces.len().wrapping_sub(2)))
                {
                    pieces.pop();
                }
                pieces.push(Piece::Param(None));
            }
            Token::Placeholder(name) => {
                name.hash(&mut hasher);
                pieces.push(Piece::Param(Some(name)));
            }
            other => pieces.push(Piece::Token(other)),
        }
    }
    let pieces = collapse_lists(pieces);
    Ok(Normalised {
        text: render(&pieces),
        values_hash: hasher.finish(),
        constants,
    })
}

/// Whether a token is a constant the server would treat as a value.
fn is_constant(token: &Token) -> bool {
    matches!(
        token,
        Token::Number(..)
            | Token::SingleQuotedString(_)
            | Token::NationalStringLiteral(_)
            | Token::EscapedStringLiteral(_)
            | Token::UnicodeStringLiteral(_)
            | Token::HexStringLiteral(_)
            | Token::DollarQuotedString(_)
            | Token::SingleQuotedByteStringLiteral(_)
            | Token::DoubleQuotedByteStringLiteral(_)
            | Token::TripleSingleQuotedString(_)
            | Token::TripleDoubleQuotedString(_)
    )
}

/// Whether the piece before a `-` is an operand (then the `-` is a binary minus).
fn ends_operand(piece: Option<&Piece>) -> bool {
    match piece {
        Some(Piece::Param(_)) => true,
        Some(Piece::Token(Token::RParen | Token::RBracket)) => true,
        Some(Piece::Token(Token::Word(w))) => {
            w.quote_style.is_some()
                || w.keyword == Keyword::NoKeyword
                || !matches!(
                    w.keyword,
                    Keyword::SELECT
                        | Keyword::WHERE
                        | Keyword::AND
                        | Keyword::OR
                        | Keyword::NOT
                        | Keyword::IN
                        | Keyword::BETWEEN
                        | Keyword::LIMIT
                        | Keyword::OFFSET
                        | Keyword::THEN
                        | Keyword::ELSE
                        | Keyword::WHEN
                        | Keyword::VALUES
                        | Keyword::SET
                        | Keyword::RETURN
                        | Keyword::IS
                        | Keyword::LIKE
                        | Keyword::ILIKE
                )
        }
        _ => false,
    }
}

/// `IN ($1, $2, $3)`, `ARRAY[$1, $2]` and `VALUES ($1, $2), ($3, $4)` become one element or
/// row: the number of values is data, not shape.
fn collapse_lists(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    let mut i = 0;
    while i < pieces.len() {
        let piece = &pieces[i];
        out.push(piece.clone());
        i += 1;
        let opener = match piece {
            Piece::Token(Token::Word(w)) if w.keyword == Keyword::IN => Some(Token::LParen),
            Piece::Token(Token::Word(w)) if w.keyword == Keyword::ARRAY => Some(Token::LBracket),
            _ => None,
        };
        if let Some(open) = opener {
            let close = if open == Token::LParen {
                Token::RParen
            } else {
                Token::RBracket
            };
            if let Some(end) = param_list(&pieces, i, &open, &close) {
                out.push(Piece::Token(open));
                out.push(pieces[i + 1].clone());
                out.push(Piece::Token(close));
                i = end;
            }
            continue;
        }
        if matches!(piece, Piece::Token(Token::Word(w)) if w.keyword == Keyword::VALUES) {
            // Keep the first row; drop following rows of the same shape.
            let Some(first_end) = row_end(&pieces, i) else {
                continue;
            };
            let first = &pieces[i..first_end];
            out.extend_from_slice(first);
            i = first_end;
            while matches!(pieces.get(i), Some(Piece::Token(Token::Comma))) {
                match row_end(&pieces, i + 1) {
                    Some(end) if same_row_shape(first, &pieces[i + 1..end]) => i = end,
                    _ => break,
                }
            }
        }
    }
    out
}

/// If `pieces[start..]` is `open param (, param)* close`, the index after `close`.
fn param_list(pieces: &[Piece], start: usize, open: &Token, close: &Token) -> Option<usize> {
    if !matches!(pieces.get(start), Some(Piece::Token(t)) if t == open) {
        return None;
    }
    let mut i = start + 1;
    loop {
        if !matches!(pieces.get(i), Some(Piece::Param(_))) {
            return None;
        }
        i += 1;
        match pieces.get(i) {
            Some(Piece::Token(Token::Comma)) => i += 1,
            Some(Piece::Token(t)) if t == close => return Some(i + 1),
            _ => return None,
        }
    }
}

/// The index after a parenthesised row starting at `start` (nested parentheses allowed).
fn row_end(pieces: &[Piece], start: usize) -> Option<usize> {
    if !matches!(pieces.get(start), Some(Piece::Token(Token::LParen))) {
        return None;
    }
    let mut depth = 0usize;
    for (offset, piece) in pieces[start..].iter().enumerate() {
        match piece {
            Piece::Token(Token::LParen) => depth += 1,
            Piece::Token(Token::RParen) => {
                depth -= 1;
                if depth == 0 {
                    return Some(start + offset + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// Two VALUES rows have the same shape when they differ only in their parameters.
fn same_row_shape(a: &[Piece], b: &[Piece]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| match (x, y) {
            (Piece::Param(_), Piece::Param(_)) => true,
            (Piece::Token(x), Piece::Token(y)) => x == y,
            _ => false,
        })
}

/// Prints pieces with canonical spacing and parameters numbered by first appearance.
fn render(pieces: &[Piece]) -> String {
    let mut names: HashMap<&str, usize> = HashMap::new();
    let mut next = 0usize;
    let mut out = String::new();
    let mut previous: Option<&Piece> = None;
    let mut before_previous: Option<&Piece> = None;
    for piece in pieces {
        let text = match piece {
            Piece::Param(Some(name)) => {
                let n = *names.entry(name.as_str()).or_insert_with(|| {
                    next += 1;
                    next
                });
                format!("${n}")
            }
            Piece::Param(None) => {
                next += 1;
                format!("${next}")
            }
            Piece::Token(t) => t.to_string(),
        };
        if let Some(prev) = previous {
            if space_between(prev, piece) || names_a_table(before_previous, piece) {
                out.push(' ');
            }
        }
        out.push_str(&text);
        before_previous = previous;
        previous = Some(piece);
    }
    out
}

/// `INSERT INTO t (a, b)`: a column list after a table name is not a function call.
fn names_a_table(before_previous: Option<&Piece>, next: &Piece) -> bool {
    matches!(next, Piece::Token(Token::LParen))
        && matches!(before_previous, Some(Piece::Token(Token::Word(w)))
            if matches!(w.keyword, Keyword::INTO | Keyword::REFERENCES | Keyword::TABLE))
}

fn space_between(prev: &Piece, next: &Piece) -> bool {
    use Token as T;
    let tok = |p: &Piece| match p {
        Piece::Token(t) => Some(t.clone()),
        Piece::Param(_) => None,
    };
    let (prev, next) = (tok(prev), tok(next));
    if matches!(
        prev,
        Some(T::LParen | T::LBracket | T::Period | T::DoubleColon)
    ) {
        return false;
    }
    match next {
        Some(T::RParen | T::RBracket | T::Comma | T::SemiColon | T::Period | T::DoubleColon) => {
            false
        }
        // A function call or array subscript: `count(`, `a[`; keywords keep their space.
        Some(T::LParen | T::LBracket) => match prev {
            Some(T::Word(w)) => w.quote_style.is_none() && is_keyword_spaced(w.keyword),
            Some(T::RParen | T::RBracket) => false,
            _ => true,
        },
        _ => true,
    }
}

/// Keywords followed by a space before `(` (`IN (`, `VALUES (`), unlike function names.
fn is_keyword_spaced(keyword: Keyword) -> bool {
    matches!(
        keyword,
        Keyword::IN
            | Keyword::VALUES
            | Keyword::AS
            | Keyword::FROM
            | Keyword::JOIN
            | Keyword::ON
            | Keyword::AND
            | Keyword::OR
            | Keyword::NOT
            | Keyword::WHERE
            | Keyword::SELECT
            | Keyword::EXISTS
            | Keyword::INTO
            | Keyword::USING
            | Keyword::OVER
            | Keyword::WITH
            | Keyword::SET
            | Keyword::THEN
            | Keyword::ELSE
            | Keyword::WHEN
            | Keyword::UNION
            | Keyword::RETURNING
            | Keyword::TABLE
            | Keyword::BY
            | Keyword::CASE
            | Keyword::LATERAL
    )
}

/// Whether a shape is a statement worth analysing as a query (not `BEGIN`, `SET`, `SHOW`…).
pub fn is_transaction_control(text: &str) -> bool {
    let first = text
        .split(|c: char| c.is_whitespace() || c == ';' || c == '(')
        .find(|w| !w.is_empty())
        .unwrap_or("")
        .to_ascii_uppercase();
    matches!(
        first.as_str(),
        "BEGIN"
            | "COMMIT"
            | "ROLLBACK"
            | "START"
            | "END"
            | "SAVEPOINT"
            | "RELEASE"
            | "SET"
            | "RESET"
            | "SHOW"
            | "DISCARD"
            | "DEALLOCATE"
            | "PREPARE"
            | "LISTEN"
            | "UNLISTEN"
            | "NOTIFY"
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn n(text: &str) -> String {
        normalise(text).unwrap().text
    }

    #[test]
    fn constants_become_parameters() {
        assert_eq!(
            n("SELECT * FROM t WHERE a = 1 AND b = 'x'"),
            "SELECT * FROM t WHERE a = $1 AND b = $2"
        );
        assert_eq!(n("select 1.5e3, E'a\\'b', $$body$$"), "select $1, $2, $3");
        assert_eq!(
            n("SELECT a FROM t WHERE d > '2024-01-01'::date"),
            "SELECT a FROM t WHERE d > $1::date"
        );
    }

    #[test]
    fn spacing_and_comments_do_not_matter() {
        let a = n("SELECT  a,b\nFROM t -- note\nWHERE id=42 /* x */");
        let b = n("SELECT a, b FROM t WHERE id = 7");
        assert_eq!(a, b);
        assert_eq!(b, "SELECT a, b FROM t WHERE id = $1");
        assert_eq!(n("SELECT count(*) FROM t"), "SELECT count(*) FROM t");
        assert_eq!(n("SELECT t.a FROM s.t"), "SELECT t.a FROM s.t");
    }

    #[test]
    fn lists_collapse() {
        assert_eq!(
            n("SELECT * FROM t WHERE id IN (1, 2, 3)"),
            n("SELECT * FROM t WHERE id IN (7)")
        );
        assert_eq!(
            n("SELECT * FROM t WHERE id IN (1,2,3)"),
            "SELECT * FROM t WHERE id IN ($1)"
        );
        assert_eq!(
            n("SELECT * FROM t WHERE id = ANY(ARRAY[1, 2])"),
            "SELECT * FROM t WHERE id = ANY(ARRAY[$1])"
        );
        assert_eq!(
            n("INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y'), (3, 'z')"),
            "INSERT INTO t (a, b) VALUES ($1, $2)"
        );
        // Columns in an IN list are not constants.
        assert_eq!(
            n("SELECT 1 WHERE a IN (b, c)"),
            "SELECT $1 WHERE a IN (b, c)"
        );
    }

    #[test]
    fn existing_parameters_keep_their_identity() {
        assert_eq!(
            n("SELECT * FROM t WHERE a = $2 OR b = $2 AND c = $1 LIMIT 10"),
            "SELECT * FROM t WHERE a = $1 OR b = $1 AND c = $2 LIMIT $3"
        );
        // Idempotent on pg_stat_statements' own texts.
        let once = n("SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)");
        assert_eq!(n(&once), once);
    }

    #[test]
    fn negative_numbers_are_one_constant() {
        assert_eq!(
            n("SELECT a FROM t WHERE b = -5"),
            "SELECT a FROM t WHERE b = $1"
        );
        assert_eq!(n("SELECT a - 5 FROM t"), "SELECT a - $1 FROM t");
        assert_eq!(
            n("SELECT a FROM t WHERE b IN (-1, -2)"),
            "SELECT a FROM t WHERE b IN ($1)"
        );
    }

    #[test]
    fn values_never_survive_but_their_hash_differs() {
        let a = normalise("SELECT * FROM person WHERE email = 'alice@example.com'").unwrap();
        let b = normalise("SELECT * FROM person WHERE email = 'bob@example.com'").unwrap();
        assert_eq!(a.text, b.text);
        assert!(!a.text.contains("alice"));
        assert_ne!(a.values_hash, b.values_hash);
        assert_eq!(a.constants, 1);
    }

    #[test]
    fn quoted_identifiers_are_not_constants() {
        assert_eq!(
            n(r#"SELECT "Name" FROM "Order" WHERE "Id" = 3"#),
            r#"SELECT "Name" FROM "Order" WHERE "Id" = $1"#
        );
    }

    #[test]
    fn broken_text_is_an_error_without_the_text() {
        let e = normalise("SELECT 'unterminated secret").unwrap_err();
        assert!(!e.to_string().contains("secret"));
    }

    #[test]
    fn shapes_parse_again() {
        for text in [
            "SELECT a FROM t WHERE b IN (1, 2) AND c = ANY(ARRAY[1,2]) ORDER BY a LIMIT 20 OFFSET 40",
            "UPDATE t SET a = 'x', b = b + 1 WHERE id = 3",
            "INSERT INTO t (a) VALUES (1), (2)",
        ] {
            let shape = n(text);
            assert!(
                sqlparser::parser::Parser::parse_sql(&PostgreSqlDialect {}, &shape).is_ok(),
                "{shape}"
            );
        }
    }

    #[test]
    fn transaction_control() {
        assert!(is_transaction_control("BEGIN"));
        assert!(is_transaction_control("set search_path = $1"));
        assert!(!is_transaction_control("SELECT 1"));
    }
}
