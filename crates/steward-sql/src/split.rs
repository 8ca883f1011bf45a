//! Splitting a file into statements without parsing them.
//!
//! A small hand-written lexer that knows just enough to find statement boundaries: comments
//! (nested `/* */`), string literals (standard and `E''` escapes, with
//! `standard_conforming_strings` tracked), quoted identifiers, dollar quoting, `BEGIN ATOMIC`
//! bodies, `COPY … FROM stdin` data blocks and psql meta-commands for PostgreSQL; `[brackets]`,
//! `GO` batch separators and `BEGIN … END` blocks for T-SQL. It never fails: unterminated
//! constructs extend to the end of the input, and the parser reports them.

use steward_core::Dialect;

/// What a piece of the input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PieceKind {
    /// A SQL statement (possibly with its terminating `;`).
    Statement,
    /// A psql meta-command such as `\connect db` (not SQL; not counted as a statement).
    PsqlMeta,
    /// Inline data after `COPY … FROM stdin`, up to and including the `\.` line.
    CopyData,
}

/// One piece of the input, by byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub kind: PieceKind,
    /// The statement text, from its first token to its terminator (inclusive).
    pub range: std::ops::Range<usize>,
    /// Comments between the previous piece and this one (for `-- steward:` directives).
    pub leading_comments: Vec<std::ops::Range<usize>>,
    /// T-SQL: the index of the `GO`-separated batch this piece belongs to.
    pub batch: usize,
}

/// Splits `text` into pieces.
pub fn split(text: &str, dialect: Dialect) -> Vec<Piece> {
    let mut splitter = Splitter {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        dialect,
        standard_strings: true,
        pieces: Vec::new(),
        comments: Vec::new(),
        batch: 0,
    };
    splitter.run();
    splitter.pieces
}

struct Splitter<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    dialect: Dialect,
    /// `standard_conforming_strings`: when off, backslashes escape in every `'…'` literal.
    standard_strings: bool,
    pieces: Vec<Piece>,
    comments: Vec<std::ops::Range<usize>>,
    batch: usize,
}

/// What the lexer found at the current position.
enum Token {
    Whitespace,
    Comment,
    Semicolon,
    /// Any other token; `word` is set for identifiers and keywords.
    Other {
        word: bool,
    },
}

impl<'a> Splitter<'a> {
    fn run(&mut self) {
        while self.pos < self.bytes.len() {
            self.skip_trivia();
            if self.pos >= self.bytes.len() {
                break;
            }
            if self.dialect == Dialect::Tsql && self.at_go_line() {
                self.skip_line();
                self.batch += 1;
                self.comments.clear();
                continue;
            }
            if self.dialect == Dialect::Postgres && self.bytes[self.pos] == b'\\' {
                let start = self.pos;
                self.skip_line();
                let end = trim_end(self.text, start, self.pos);
                self.push(PieceKind::PsqlMeta, start..end);
                continue;
            }
            self.statement();
        }
    }

    /// Reads one statement starting at a non-trivia position.
    fn statement(&mut self) {
        let start = self.pos;
        // Keyword state for BEGIN ATOMIC (PostgreSQL) and BEGIN … END (T-SQL) blocks.
        let mut words: Vec<String> = Vec::new();
        let mut block_depth: usize = 0;
        let mut end = self.bytes.len();
        // Whether only whitespace precedes the current position on its line (`GO` check).
        let mut line_start = false;
        while self.pos < self.bytes.len() {
            if self.dialect == Dialect::Tsql && line_start && self.at_go_line() {
                end = self.pos;
                break;
            }
            // A psql meta-command at the start of a line (`\gexec`, `\g`, `\gset`) sends the
            // query buffer: the statement ends there, without a semicolon.
            if self.dialect == Dialect::Postgres
                && line_start
                && block_depth == 0
                && self.bytes[self.pos] == b'\\'
            {
                end = self.pos;
                break;
            }
            let token_start = self.pos;
            let token = self.token();
            line_start = match token {
                Token::Whitespace => line_start || self.bytes[token_start] == b'\n',
                _ => false,
            };
            match token {
                Token::Semicolon if block_depth == 0 => {
                    end = self.pos;
                    break;
                }
                Token::Other { word: true } => {
                    let word = self.text[token_start..self.pos].to_ascii_uppercase();
                    block_depth = self.track_blocks(&words, &word, block_depth);
                    if words.len() < 8 {
                        words.push(word);
                    } else if let Some(last) = words.last_mut() {
                        *last = word;
                    }
                }
                _ => {}
            }
        }
        let end = trim_end(self.text, start, end);
        self.push(PieceKind::Statement, start..end);
        self.after_statement(start..end);
    }

    /// Updates the depth of blocks whose inner `;` do not end the statement.
    fn track_blocks(&self, words: &[String], word: &str, depth: usize) -> usize {
        let prev = words.last().map(String::as_str);
        match self.dialect {
            Dialect::Postgres => {
                let in_routine = words.first().is_some_and(|w| w == "CREATE")
                    && words
                        .iter()
                        .take(4)
                        .any(|w| w == "FUNCTION" || w == "PROCEDURE");
                match word {
                    "ATOMIC" if prev == Some("BEGIN") && in_routine => depth + 1,
                    "CASE" if depth > 0 => depth + 1,
                    "END" if depth > 0 => depth - 1,
                    _ => depth,
                }
            }
            Dialect::Tsql => match word {
                // `BEGIN TRAN`, `BEGIN TRANSACTION`, `BEGIN DISTRIBUTED …` open no block; we
                // cannot see the next word yet, so count BEGIN and undo on those.
                "BEGIN" | "CASE" => depth + 1,
                "TRAN" | "TRANSACTION" | "DISTRIBUTED" | "DIALOG" | "CONVERSATION"
                    if prev == Some("BEGIN") && depth > 0 =>
                {
                    depth - 1
                }
                "END" if depth > 0 => depth - 1,
                _ => depth,
            },
        }
    }

    /// Handles what a finished statement changes for the lexer.
    fn after_statement(&mut self, range: std::ops::Range<usize>) {
        if self.dialect != Dialect::Postgres {
            return;
        }
        let head = head_words(&self.text[range.clone()], 12);
        if head.len() >= 2
            && head[0] == "SET"
            && head.iter().any(|w| w == "STANDARD_CONFORMING_STRINGS")
        {
            let value = head.last().map(String::as_str).unwrap_or("");
            self.standard_strings = !matches!(value, "OFF" | "FALSE" | "'OFF'" | "0");
        }
        if head.first().is_some_and(|w| w == "COPY")
            && head.windows(2).any(|w| w[0] == "FROM" && w[1] == "STDIN")
        {
            self.copy_data();
        }
    }

    /// Skips the data block of `COPY … FROM stdin`, which ends at a line `\.`.
    fn copy_data(&mut self) {
        // Data starts on the line after the statement.
        self.skip_line();
        let start = self.pos;
        while self.pos < self.bytes.len() {
            let line_start = self.pos;
            self.skip_line();
            let line = self.text[line_start..self.pos].trim_end_matches(['\n', '\r']);
            if line == "\\." {
                break;
            }
        }
        if self.pos > start {
            let end = trim_end(self.text, start, self.pos);
            self.pieces.push(Piece {
                kind: PieceKind::CopyData,
                range: start..end,
                leading_comments: Vec::new(),
                batch: self.batch,
            });
        }
    }

    fn push(&mut self, kind: PieceKind, range: std::ops::Range<usize>) {
        self.pieces.push(Piece {
            kind,
            range,
            leading_comments: std::mem::take(&mut self.comments),
            batch: self.batch,
        });
    }

    /// Skips whitespace and comments between statements, remembering the comments.
    fn skip_trivia(&mut self) {
        while self.pos < self.bytes.len() {
            let start = self.pos;
            match self.token_if_trivia() {
                Some(Token::Whitespace) => {}
                Some(Token::Comment) => self.comments.push(start..self.pos),
                // A lone `;` between statements is an empty statement: skip it.
                Some(Token::Semicolon) => {}
                _ => {
                    self.pos = start;
                    return;
                }
            }
        }
    }

    fn token_if_trivia(&mut self) -> Option<Token> {
        let b = self.bytes[self.pos];
        if b.is_ascii_whitespace() || b == b';' || self.at_comment_start() {
            Some(self.token())
        } else {
            None
        }
    }

    fn at_comment_start(&self) -> bool {
        matches!(
            (self.bytes[self.pos], self.bytes.get(self.pos + 1)),
            (b'-', Some(b'-')) | (b'/', Some(b'*'))
        )
    }

    /// Consumes one token and says what it was.
    fn token(&mut self) -> Token {
        let b = self.bytes[self.pos];
        let next = self.bytes.get(self.pos + 1).copied();
        match b {
            _ if b.is_ascii_whitespace() => {
                self.pos += 1;
                Token::Whitespace
            }
            b';' => {
                self.pos += 1;
                Token::Semicolon
            }
            b'-' if next == Some(b'-') => {
                self.skip_line_content();
                Token::Comment
            }
            b'/' if next == Some(b'*') => {
                self.block_comment();
                Token::Comment
            }
            b'\'' => {
                let escapes = !self.standard_strings && self.dialect == Dialect::Postgres;
                self.quoted(b'\'', escapes);
                Token::Other { word: false }
            }
            b'"' => {
                self.quoted(b'"', false);
                Token::Other { word: false }
            }
            b'[' if self.dialect == Dialect::Tsql => {
                self.quoted(b']', false);
                Token::Other { word: false }
            }
            b'$' if self.dialect == Dialect::Postgres => {
                if !self.dollar_quoted() {
                    self.pos += 1;
                }
                Token::Other { word: false }
            }
            _ if is_word_start(b) => {
                let start = self.pos;
                while self.pos < self.bytes.len() && is_word_char(self.bytes[self.pos]) {
                    self.pos += 1;
                }
                // String prefixes: E'…' (escapes), N'…', X'…', B'…', U&'…'.
                if self.pos < self.bytes.len() && self.bytes[self.pos] == b'\'' {
                    let prefix = &self.text[start..self.pos];
                    if prefix.len() == 1 {
                        let escapes = prefix.eq_ignore_ascii_case("e")
                            || (!self.standard_strings && self.dialect == Dialect::Postgres);
                        self.quoted(b'\'', escapes);
                        return Token::Other { word: false };
                    }
                } else if self.pos + 1 < self.bytes.len()
                    && self.bytes[self.pos] == b'&'
                    && self.text[start..self.pos].eq_ignore_ascii_case("u")
                    && matches!(self.bytes[self.pos + 1], b'\'' | b'"')
                {
                    let quote = self.bytes[self.pos + 1];
                    self.pos += 1;
                    self.quoted(quote, false);
                    return Token::Other { word: false };
                }
                Token::Other { word: true }
            }
            _ => {
                // Advance one whole character (never split UTF-8).
                self.pos += utf8_len(b);
                Token::Other { word: false }
            }
        }
    }

    /// Consumes a quoted token starting at the opening quote; doubled quotes escape, and
    /// backslashes too when `backslash_escapes`.
    fn quoted(&mut self, close: u8, backslash_escapes: bool) {
        self.pos += 1;
        while self.pos < self.bytes.len() {
            let b = self.bytes[self.pos];
            if backslash_escapes && b == b'\\' {
                self.pos += 2;
                continue;
            }
            self.pos += 1;
            if b == close {
                if self.bytes.get(self.pos) == Some(&close) {
                    self.pos += 1;
                } else {
                    return;
                }
            }
        }
        self.pos = self.bytes.len();
    }

    /// Consumes `$tag$ … $tag$` if one starts here; returns false for `$1` and lone `$`.
    fn dollar_quoted(&mut self) -> bool {
        let start = self.pos;
        let mut i = start + 1;
        while i < self.bytes.len() && self.bytes[i] != b'$' {
            let c = self.bytes[i];
            let ok = if i == start + 1 {
                is_word_start(c) && c != b'$'
            } else {
                c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
            };
            if !ok {
                return false;
            }
            i += 1;
        }
        if i >= self.bytes.len() {
            return false;
        }
        let tag = &self.text[start..=i];
        match memfind(&self.bytes[i + 1..], tag.as_bytes()) {
            Some(offset) => self.pos = i + 1 + offset + tag.len(),
            None => self.pos = self.bytes.len(),
        }
        true
    }

    fn block_comment(&mut self) {
        let mut depth = 0usize;
        while self.pos < self.bytes.len() {
            match (self.bytes[self.pos], self.bytes.get(self.pos + 1)) {
                (b'/', Some(b'*')) => {
                    depth += 1;
                    self.pos += 2;
                }
                (b'*', Some(b'/')) => {
                    depth -= 1;
                    self.pos += 2;
                    if depth == 0 {
                        return;
                    }
                }
                _ => self.pos += 1,
            }
        }
    }

    /// Moves to the end of the current line, before its newline.
    fn skip_line_content(&mut self) {
        match memchr(b'\n', &self.bytes[self.pos..]) {
            Some(offset) => self.pos += offset,
            None => self.pos = self.bytes.len(),
        }
    }

    /// Moves past the end of the current line.
    fn skip_line(&mut self) {
        self.skip_line_content();
        if self.pos < self.bytes.len() {
            self.pos += 1;
        }
    }

    /// `GO` alone on its line (optionally `GO n`, trailing whitespace or a comment).
    fn at_go_line(&self) -> bool {
        let rest = &self.bytes[self.pos..];
        if rest.len() < 2 || !rest[..2].eq_ignore_ascii_case(b"GO") {
            return false;
        }
        let line_end = memchr(b'\n', rest).unwrap_or(rest.len());
        let tail = self.text[self.pos + 2..self.pos + line_end].trim();
        let tail = tail.split("--").next().unwrap_or("").trim();
        let tail = tail.trim_end_matches(';').trim();
        tail.is_empty() || tail.bytes().all(|b| b.is_ascii_digit())
    }
}

/// The first `n` words of a statement, upper-cased, skipping comments.
pub fn head_words(text: &str, n: usize) -> Vec<String> {
    let mut words = Vec::new();
    let mut rest = text;
    while words.len() < n {
        rest = rest.trim_start();
        if rest.starts_with("--") {
            rest = rest.split_once('\n').map_or("", |(_, r)| r);
            continue;
        }
        if rest.starts_with("/*") {
            rest = rest.split_once("*/").map_or("", |(_, r)| r);
            continue;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || "(),;".contains(c))
            .unwrap_or(rest.len());
        if end == 0 {
            if rest.is_empty() {
                break;
            }
            let len = rest.chars().next().map_or(1, char::len_utf8);
            rest = &rest[len..];
            continue;
        }
        words.push(rest[..end].to_ascii_uppercase());
        rest = &rest[end..];
    }
    words
}

fn trim_end(text: &str, start: usize, end: usize) -> usize {
    start + text[start..end].trim_end().len()
}

fn is_word_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80 || b == b'@' || b == b'#'
}

fn is_word_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80 || b == b'@' || b == b'#'
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|b| *b == needle)
}

fn memfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(sql: &str, dialect: Dialect) -> Vec<&str> {
        split(sql, dialect)
            .into_iter()
            .filter(|p| p.kind == PieceKind::Statement)
            .map(|p| &sql[p.range])
            .collect()
    }

    #[test]
    fn splits_on_semicolons_outside_strings_and_comments() {
        let sql = "select ';' as a; -- c;\nselect \"x;\" /* ; /* nested; */ */ from t;select 1";
        assert_eq!(
            texts(sql, Dialect::Postgres),
            vec![
                "select ';' as a;",
                "select \"x;\" /* ; /* nested; */ */ from t;",
                "select 1"
            ]
        );
    }

    #[test]
    fn dollar_quoted_bodies_stay_whole() {
        let sql = "create function f() returns int as $body$ begin; return $1; end $body$ language plpgsql;\nselect $$a;b$$;";
        let t = texts(sql, Dialect::Postgres);
        assert_eq!(t.len(), 2);
        assert!(t[0].ends_with("language plpgsql;"));
        assert_eq!(t[1], "select $$a;b$$;");
    }

    #[test]
    fn begin_atomic_bodies_stay_whole() {
        let sql = "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END;\nSELECT 3;";
        let t = texts(sql, Dialect::Postgres);
        assert_eq!(t.len(), 2, "{t:?}");
        assert_eq!(t[1], "SELECT 3;");
    }

    #[test]
    fn escape_strings_and_standard_conforming_strings() {
        let sql = "select E'it\\'s;'; select 'a\\'; select 2;";
        assert_eq!(texts(sql, Dialect::Postgres).len(), 3);
        let off = "SET standard_conforming_strings = off; select 'it\\'s;'; select 2;";
        assert_eq!(texts(off, Dialect::Postgres).len(), 3);
    }

    #[test]
    fn copy_data_and_psql_meta_commands() {
        let sql = "\\connect db\nCOPY t (a) FROM stdin;\n1\tx;y\n\\.\nselect 1;";
        let pieces = split(sql, Dialect::Postgres);
        let kinds: Vec<_> = pieces.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            vec![
                PieceKind::PsqlMeta,
                PieceKind::Statement,
                PieceKind::CopyData,
                PieceKind::Statement
            ]
        );
    }

    #[test]
    fn a_psql_meta_command_line_ends_the_statement() {
        let sql = "SELECT format('SELECT %s', g)\nFROM generate_series(1, 3) g\n\\gexec\nSELECT 2;";
        let pieces = split(sql, Dialect::Postgres);
        let kinds: Vec<_> = pieces.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            vec![
                PieceKind::Statement,
                PieceKind::PsqlMeta,
                PieceKind::Statement
            ]
        );
        assert_eq!(
            texts(sql, Dialect::Postgres)[0],
            "SELECT format('SELECT %s', g)\nFROM generate_series(1, 3) g"
        );
        // Not inside a dollar-quoted body.
        let body = "CREATE FUNCTION f() RETURNS text AS $$\n\\x\n$$ LANGUAGE sql;";
        assert_eq!(texts(body, Dialect::Postgres).len(), 1);
    }

    #[test]
    fn tsql_go_batches_and_blocks() {
        let sql = "IF 1=1\nBEGIN\n  SELECT 1;\n  SELECT 2;\nEND\nGO\nCREATE TABLE [a;b] (x int)\ngo 2\nBEGIN TRAN; SELECT 3; COMMIT;";
        let t = texts(sql, Dialect::Tsql);
        assert_eq!(t.len(), 5, "{t:?}");
        assert!(t[0].starts_with("IF") && t[0].ends_with("END"));
        assert_eq!(t[1], "CREATE TABLE [a;b] (x int)");
        assert_eq!(t[2], "BEGIN TRAN;");
        let batches: Vec<_> = split(sql, Dialect::Tsql).iter().map(|p| p.batch).collect();
        assert_eq!(batches, vec![0, 1, 2, 2, 2]);
    }

    #[test]
    fn go_inside_identifiers_is_not_a_separator() {
        let sql = "SELECT 1 AS GOAL\nGO\nSELECT 2";
        assert_eq!(
            texts(sql, Dialect::Tsql),
            vec!["SELECT 1 AS GOAL", "SELECT 2"]
        );
    }

    #[test]
    fn leading_comments_are_kept_for_directives() {
        let sql = "-- steward: ignore[select-star]\nselect * from t;";
        let pieces = split(sql, Dialect::Postgres);
        assert_eq!(pieces[0].leading_comments.len(), 1);
    }

    #[test]
    fn unterminated_constructs_do_not_panic() {
        for sql in [
            "select 'abc",
            "select $a$ x",
            "/* open",
            "select \"x",
            "E'\\",
        ] {
            let _ = split(sql, Dialect::Postgres);
            let _ = split(sql, Dialect::Tsql);
        }
    }
}
