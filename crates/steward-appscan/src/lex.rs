//! A small tokeniser shared by every language, parameterised by a [`Syntax`] description.
//!
//! It only has to be good enough to tell code from comments and string literals, to know where a
//! string literal's body and its interpolations (`${…}`, `#{…}`, `{…}`, `$var`) are, and to keep
//! brackets balanced. It never fails: unterminated strings and comments run to the end of the
//! input (single-line string forms stop at the end of the line), and every step consumes at least
//! one byte, so lexing always terminates in time linear in the input.
//!
//! The lexer works on bytes. Every delimiter it looks for is ASCII and UTF-8 continuation bytes
//! are never ASCII, so byte offsets of tokens always fall on `char` boundaries of the source.

use std::collections::HashMap;

/// What a `'` starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SingleQuote {
    /// A string literal (Python, JS, Ruby, PHP).
    Str,
    /// A character literal (Java, C#, Go).
    Char,
    /// A character literal or a lifetime/label (Rust).
    RustChar,
}

/// Interpolation syntax inside a string literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Interp {
    None,
    /// `#{expr}` (Ruby double quotes, backticks, heredocs, `%Q`).
    Ruby,
    /// `${expr}` (JS template literals).
    Js,
    /// `$var`, `$var[…]`, `$var->p`, `{$expr}`, `${name}` (PHP double quotes and heredocs).
    Php,
    /// `{expr}` opened by this many braces; with one brace `{{` is an escaped brace
    /// (Python f-strings, C# `$"…"` and `$$"""…"""`).
    Brace(u8),
}

/// What a backtick starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backtick {
    /// Not a string delimiter.
    None,
    /// Go raw string: no escapes, may span lines.
    Raw,
    /// JS template literal with `${}`.
    Template,
    /// A command string that interpolates like a double-quoted string (Ruby, PHP).
    LikeDouble,
}

/// Letter prefixes that change how the following string literal is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Prefixes {
    None,
    /// `r b u f t` and combinations (`rb`, `fr`, …).
    Python,
    /// `$"…"`, `@"…"`, `$@"…"`, `"""…"""`, `$$"""…"""`.
    CSharp,
    /// `r"…"`, `r#"…"#`, `b"…"`, `br"…"`, `c"…"`, `b'x'`.
    Rust,
}

/// Heredoc flavour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Heredoc {
    None,
    /// `<<~ID`, `<<-ID`, `<<ID`, quoted ids; the body starts on the next line.
    Ruby,
    /// `<<<ID`, `<<<"ID"`, `<<<'ID'` (nowdoc).
    Php,
}

/// Lexical description of one language.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Syntax {
    pub line_comments: &'static [&'static str],
    pub block_comment: Option<(&'static str, &'static str)>,
    pub nested_comments: bool,
    pub single_quote: SingleQuote,
    /// Interpolation inside plain `"…"` strings.
    pub double_interp: Interp,
    /// Whether ordinary quoted strings may contain raw newlines.
    pub strings_span_lines: bool,
    pub backtick: Backtick,
    pub prefixes: Prefixes,
    /// `"""…"""` (and `'''…'''` where `'` is a string quote): Python, Java text blocks.
    pub triple_quotes: bool,
    pub heredoc: Heredoc,
    /// `/…/` regex literals where an operand is expected (JS, Ruby).
    pub regex_literals: bool,
    /// Ruby `%q(…)`, `%Q[…]`, `%w{…}`, `%(…)` …
    pub percent_literals: bool,
    /// Ruby `=begin`/`=end` blocks, `__END__`, `@ivar`/`$global` names and `?`/`!` method suffixes.
    pub ruby_extras: bool,
    /// PHP: code lives between `<?php` and `?>`; `#[` starts an attribute, not a comment.
    pub php_tags: bool,
    /// `$` is an identifier character (JS) or starts a variable name (PHP).
    pub dollar_idents: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Ident,
    Number,
    /// A string literal; see [`Token::lit`].
    Str,
    /// A character literal.
    Char,
    Punct(&'static str),
    /// Regex literals, lifetimes, stray bytes.
    Other,
}

/// Where a string literal's text is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Lit {
    /// Byte range of the body (between the delimiters; for heredocs the lines of the body).
    pub body: (usize, usize),
    /// Byte ranges of the interpolated expressions, without their delimiters.
    pub interps: Vec<(usize, usize)>,
    /// A JS template literal (a tag directly in front of it makes it a tagged template).
    pub template: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    /// A line break (outside strings) separates this token from the previous one.
    pub nl_before: bool,
    pub lit: Option<Box<Lit>>,
}

/// Interpolations nested deeper than this are skipped naively (up to the next `}`), which bounds
/// recursion on hostile input.
const MAX_NESTING: u32 = 40;

/// Multi-byte punctuation starting with `a`, `b`, `c` (longest match).
fn multi_punct(a: u8, b: u8, c: u8) -> Option<&'static str> {
    Some(match (a, b, c) {
        (b'=', b'=', b'=') => "===",
        (b'!', b'=', b'=') => "!==",
        (b'<', b'<', b'=') => "<<=",
        (b'>', b'>', b'=') => ">>=",
        (b'*', b'*', b'=') => "**=",
        (b'.', b'.', b'.') => "...",
        (b':', b':', _) => "::",
        (b'-', b'>', _) => "->",
        (b'=', b'>', _) => "=>",
        (b'=', b'=', _) => "==",
        (b'!', b'=', _) => "!=",
        (b'<', b'=', _) => "<=",
        (b'>', b'=', _) => ">=",
        (b'+', b'=', _) => "+=",
        (b'-', b'=', _) => "-=",
        (b'*', b'=', _) => "*=",
        (b'/', b'=', _) => "/=",
        (b'%', b'=', _) => "%=",
        (b'.', b'=', _) => ".=",
        (b':', b'=', _) => ":=",
        (b'<', b'<', _) => "<<",
        (b'&', b'&', _) => "&&",
        (b'|', b'|', _) => "||",
        (b'?', b'?', _) => "??",
        (b'?', b'.', _) => "?.",
        (b'.', b'.', _) => "..",
        (b'|', b'=', _) => "|=",
        (b'&', b'=', _) => "&=",
        (b'^', b'=', _) => "^=",
        _ => return None,
    })
}

fn single_punct(c: u8) -> Option<&'static str> {
    Some(match c {
        b'(' => "(",
        b')' => ")",
        b'[' => "[",
        b']' => "]",
        b'{' => "{",
        b'}' => "}",
        b',' => ",",
        b';' => ";",
        b'.' => ".",
        b':' => ":",
        b'=' => "=",
        b'+' => "+",
        b'-' => "-",
        b'*' => "*",
        b'/' => "/",
        b'%' => "%",
        b'<' => "<",
        b'>' => ">",
        b'!' => "!",
        b'?' => "?",
        b'&' => "&",
        b'|' => "|",
        b'^' => "^",
        b'~' => "~",
        b'@' => "@",
        b'#' => "#",
        b'$' => "$",
        b'\\' => "\\",
        b'`' => "`",
        b'\'' => "'",
        b'"' => "\"",
        _ => return None,
    })
}

/// Words after which `/` starts a regex and `%` a Ruby percent literal.
const EXPR_KEYWORDS: &[&str] = &[
    "return",
    "typeof",
    "instanceof",
    "in",
    "of",
    "new",
    "delete",
    "void",
    "throw",
    "case",
    "do",
    "else",
    "yield",
    "await",
    "and",
    "or",
    "not",
    "if",
    "elsif",
    "unless",
    "when",
    "while",
    "until",
    "then",
    "puts",
    "print",
];

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

fn is_ident_start_byte(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

/// Tokenise a whole source file.
pub(crate) fn tokenize(src: &str, syntax: &Syntax) -> Vec<Token> {
    let mut lx = Lexer::new(src.as_bytes(), syntax, 0, !syntax.php_tags);
    lx.run()
}

/// Tokenise `src[start..end]` as code (an interpolated expression). Offsets stay absolute.
pub(crate) fn tokenize_fragment(
    src: &str,
    syntax: &Syntax,
    start: usize,
    end: usize,
) -> Vec<Token> {
    let bytes = src.as_bytes();
    let end = end.min(bytes.len());
    let Some(slice) = bytes.get(..end) else {
        return Vec::new();
    };
    let mut lx = Lexer::new(slice, syntax, start.min(end), true);
    // Heredocs and PHP tags make no sense inside an interpolation.
    lx.nesting = 1;
    lx.run()
}

/// For every opening bracket token, the index of its matching closer (`usize::MAX` when
/// unmatched). Stray closers are ignored.
pub(crate) fn match_brackets(toks: &[Token]) -> Vec<usize> {
    let mut close = vec![usize::MAX; toks.len()];
    let mut stack: Vec<(usize, &'static str)> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        let Kind::Punct(p) = t.kind else { continue };
        match p {
            "(" => stack.push((i, ")")),
            "[" => stack.push((i, "]")),
            "{" => stack.push((i, "}")),
            ")" | "]" | "}" => {
                // Pop through at most a few unclosed openers to resynchronise.
                if let Some(back) = stack.iter().rev().take(4).position(|&(_, want)| want == p) {
                    for _ in 0..back {
                        stack.pop();
                    }
                    if let Some((open, _)) = stack.pop() {
                        if let Some(slot) = close.get_mut(open) {
                            *slot = i;
                        }
                    }
                }
            }
            _ => {}
        }
    }
    close
}

/// How a string body ends.
#[derive(Debug, Clone, Copy)]
enum Stop {
    /// `n` consecutive `q`s; with `doubled`, `qq` is an escaped quote.
    Quote { q: u8, n: usize, doubled: bool },
    /// Rust raw string: `"` followed by this many `#`.
    RustRaw(usize),
    /// Fixed end (heredoc bodies).
    Limit(usize),
}

/// Per-line index used to find heredoc terminators without rescanning the file.
type LineIndex<'a> = HashMap<&'a [u8], Vec<(usize, usize, usize)>>;

struct Lexer<'a> {
    s: &'a [u8],
    syn: &'a Syntax,
    pos: usize,
    prev_expr_end: bool,
    /// Ruby: where to continue after the current line's heredoc bodies (0 = none).
    heredoc_resume: usize,
    nesting: u32,
    in_code: bool,
    /// Lazily built: key → (line start, key end, line end) for heredoc terminators.
    lines: Option<LineIndex<'a>>,
}

impl<'a> Lexer<'a> {
    fn new(s: &'a [u8], syn: &'a Syntax, pos: usize, in_code: bool) -> Self {
        Lexer {
            s,
            syn,
            pos,
            prev_expr_end: false,
            heredoc_resume: 0,
            nesting: 0,
            in_code,
            lines: None,
        }
    }

    fn run(&mut self) -> Vec<Token> {
        let mut out = Vec::new();
        if self.syn.ruby_extras && self.nesting == 0 {
            self.ruby_line_start();
        }
        while let Some(t) = self.next_token() {
            out.push(t);
        }
        out
    }

    fn at(&self, i: usize) -> u8 {
        self.s.get(i).copied().unwrap_or(0)
    }

    fn starts(&self, i: usize, pat: &[u8]) -> bool {
        self.s.get(i..).is_some_and(|r| r.starts_with(pat))
    }

    fn find_from(&self, i: usize, b: u8) -> Option<usize> {
        self.s.get(i..)?.iter().position(|&c| c == b).map(|p| p + i)
    }

    fn find_seq(&self, i: usize, pat: &[u8]) -> Option<usize> {
        let hay = self.s.get(i..)?;
        let first = *pat.first()?;
        let mut k = 0;
        while k < hay.len() {
            let p = hay.get(k..)?.iter().position(|&c| c == first)? + k;
            if hay.get(p..).is_some_and(|r| r.starts_with(pat)) {
                return Some(p + i);
            }
            k = p + 1;
        }
        None
    }

    fn run_of(&self, i: usize, b: u8) -> usize {
        self.s
            .get(i..)
            .map_or(0, |r| r.iter().take_while(|&&c| c == b).count())
    }

    fn line_end(&self, i: usize) -> usize {
        self.find_from(i, b'\n').unwrap_or(self.s.len())
    }

    /// Skip whitespace, comments, line continuations and (PHP) inline HTML. Returns whether a
    /// line break was crossed.
    fn skip_trivia(&mut self) -> bool {
        let mut nl = false;
        let len = self.s.len();
        loop {
            if !self.in_code {
                self.skip_html();
                nl = true;
            }
            if self.pos >= len {
                return nl;
            }
            let c = self.at(self.pos);
            match c {
                b'\n' => {
                    nl = true;
                    self.pos += 1;
                    if self.heredoc_resume > self.pos {
                        self.pos = self.heredoc_resume;
                    }
                    self.heredoc_resume = 0;
                    if self.syn.ruby_extras && self.nesting == 0 {
                        self.ruby_line_start();
                    }
                }
                b' ' | b'\t' | b'\r' | 0x0b | 0x0c => self.pos += 1,
                b'\\' if self.at(self.pos + 1) == b'\n' => self.pos += 2,
                b'\\' if self.at(self.pos + 1) == b'\r' && self.at(self.pos + 2) == b'\n' => {
                    self.pos += 3
                }
                _ => {
                    if let Some(end) = self.comment_at(self.pos) {
                        if self
                            .s
                            .get(self.pos..end)
                            .is_some_and(|r| r.contains(&b'\n'))
                        {
                            nl = true;
                        }
                        self.pos = end.max(self.pos + 1);
                        continue;
                    }
                    if self.syn.php_tags && self.nesting == 0 && self.starts(self.pos, b"?>") {
                        self.pos += 2;
                        self.in_code = false;
                        continue;
                    }
                    return nl;
                }
            }
        }
    }

    /// PHP: skip inline HTML up to the next `<?php`, `<?=` or `<?`.
    fn skip_html(&mut self) {
        match self.find_seq(self.pos, b"<?") {
            Some(p) => {
                let after = p + 2;
                let php = self
                    .s
                    .get(after..after + 3)
                    .is_some_and(|r| r.eq_ignore_ascii_case(b"php"));
                self.pos = if php {
                    after + 3
                } else if self.at(after) == b'=' {
                    after + 1
                } else {
                    after
                };
            }
            None => self.pos = self.s.len(),
        }
        self.in_code = true;
    }

    /// Ruby: `=begin … =end` blocks and `__END__` at the start of a line.
    fn ruby_line_start(&mut self) {
        if self.starts(self.pos, b"=begin")
            && matches!(self.at(self.pos + 6), b' ' | b'\t' | b'\r' | b'\n' | 0)
        {
            let mut p = self.line_end(self.pos);
            loop {
                if p >= self.s.len() {
                    self.pos = self.s.len();
                    return;
                }
                let line = p + 1;
                if self.starts(line, b"=end") {
                    self.pos = self.line_end(line);
                    return;
                }
                p = self.line_end(line);
            }
        }
        if self.starts(self.pos, b"__END__") && matches!(self.at(self.pos + 7), b'\r' | b'\n' | 0) {
            self.pos = self.s.len();
        }
    }

    /// If a comment starts at `i`, where it ends (exclusive; a line comment stops before `\n`).
    fn comment_at(&self, i: usize) -> Option<usize> {
        // Cheap first-byte filter before comparing whole openers.
        let c = self.at(i);
        let opens = |o: &str| o.as_bytes().first() == Some(&c);
        if !self.syn.line_comments.iter().any(|o| opens(o))
            && !self.syn.block_comment.is_some_and(|(o, _)| opens(o))
        {
            return None;
        }
        for lc in self.syn.line_comments {
            if self.starts(i, lc.as_bytes()) {
                if self.syn.php_tags && lc == &"#" && self.at(i + 1) == b'[' {
                    continue;
                }
                let mut end = self.line_end(i);
                if self.syn.php_tags {
                    if let Some(tag) = self.find_seq(i, b"?>") {
                        end = end.min(tag);
                    }
                }
                return Some(end);
            }
        }
        let (open, close) = self.syn.block_comment?;
        if !self.starts(i, open.as_bytes()) {
            return None;
        }
        let mut p = i + open.len();
        if !self.syn.nested_comments {
            return Some(
                self.find_seq(p, close.as_bytes())
                    .map_or(self.s.len(), |e| e + close.len()),
            );
        }
        let mut depth = 1usize;
        while p < self.s.len() {
            if self.starts(p, close.as_bytes()) {
                depth -= 1;
                p += close.len();
                if depth == 0 {
                    return Some(p);
                }
            } else if self.starts(p, open.as_bytes()) {
                depth += 1;
                p += open.len();
            } else {
                p += 1;
            }
        }
        Some(self.s.len())
    }

    fn next_token(&mut self) -> Option<Token> {
        let nl = self.skip_trivia();
        let start = self.pos;
        if start >= self.s.len() {
            return None;
        }
        let (kind, lit) = self.lex_at(start);
        if self.pos <= start {
            // Safety net: always make progress, and stay on a char boundary.
            let mut p = start + 1;
            while p < self.s.len() && (self.at(p) & 0xC0) == 0x80 {
                p += 1;
            }
            self.pos = p;
        }
        self.prev_expr_end = match kind {
            // Only regex and percent literals care, so skip the keyword check otherwise.
            Kind::Ident if self.syn.regex_literals || self.syn.percent_literals => {
                let w = self.s.get(start..self.pos).unwrap_or_default();
                !(w.len() <= 10 && EXPR_KEYWORDS.iter().any(|k| k.as_bytes() == w))
            }
            Kind::Ident => true,
            Kind::Number | Kind::Str | Kind::Char | Kind::Other => true,
            Kind::Punct(p) => matches!(p, ")" | "]" | "}"),
        };
        Some(Token {
            kind,
            start,
            end: self.pos,
            nl_before: nl,
            lit,
        })
    }

    fn lex_at(&mut self, start: usize) -> (Kind, Option<Box<Lit>>) {
        let c = self.at(start);
        let syn = self.syn;

        if syn.prefixes == Prefixes::CSharp && (c == b'$' || c == b'@') {
            if let Some(r) = self.csharp_prefixed(start) {
                return r;
            }
            if c == b'@' && is_ident_start_byte(self.at(start + 1)) {
                self.pos = self.ident_end(start + 1);
                return (Kind::Ident, None);
            }
        }

        if self.ident_starts_here(start) {
            let end = self.ident_end(start);
            if let Some(r) = self.prefixed_string(start, end) {
                return r;
            }
            self.pos = end;
            return (Kind::Ident, None);
        }

        if c.is_ascii_digit() {
            let mut p = start + 1;
            loop {
                let b = self.at(p);
                if is_ident_byte(b) && b < 0x80 || (b == b'.' && self.at(p + 1).is_ascii_digit()) {
                    p += 1;
                } else {
                    break;
                }
            }
            self.pos = p;
            return (Kind::Number, None);
        }

        match c {
            b'"' => return self.double_quoted(start),
            b'\'' => match syn.single_quote {
                SingleQuote::Str => {
                    if syn.triple_quotes && self.starts(start, b"'''") {
                        return self.string(
                            start + 3,
                            Stop::Quote {
                                q: b'\'',
                                n: 3,
                                doubled: false,
                            },
                            true,
                            true,
                            Interp::None,
                        );
                    }
                    return self.string(
                        start + 1,
                        Stop::Quote {
                            q: b'\'',
                            n: 1,
                            doubled: false,
                        },
                        true,
                        syn.strings_span_lines,
                        Interp::None,
                    );
                }
                SingleQuote::Char => return self.char_lit(start),
                SingleQuote::RustChar => return self.rust_quote(start),
            },
            b'`' => match syn.backtick {
                Backtick::None => {}
                Backtick::Raw => {
                    return self.string(
                        start + 1,
                        Stop::Quote {
                            q: b'`',
                            n: 1,
                            doubled: false,
                        },
                        false,
                        true,
                        Interp::None,
                    )
                }
                Backtick::Template => {
                    let r = self.string(
                        start + 1,
                        Stop::Quote {
                            q: b'`',
                            n: 1,
                            doubled: false,
                        },
                        true,
                        true,
                        Interp::Js,
                    );
                    return mark_template(r);
                }
                Backtick::LikeDouble => {
                    return self.string(
                        start + 1,
                        Stop::Quote {
                            q: b'`',
                            n: 1,
                            doubled: false,
                        },
                        true,
                        true,
                        syn.double_interp,
                    )
                }
            },
            // Comments were consumed as trivia, so `/` here is division or a regex.
            b'/' if syn.regex_literals && !self.prev_expr_end => return self.regex(start),
            b'%' if syn.percent_literals && !self.prev_expr_end => {
                if let Some(r) = self.percent_literal(start) {
                    return r;
                }
            }
            b'<' if syn.heredoc == Heredoc::Ruby
                && self.nesting == 0
                && self.starts(start, b"<<") =>
            {
                if let Some(r) = self.ruby_heredoc(start) {
                    return r;
                }
            }
            b'<' if syn.heredoc == Heredoc::Php && self.starts(start, b"<<<") => {
                if let Some(r) = self.php_heredoc(start) {
                    return r;
                }
            }
            _ => {}
        }

        if let Some(p) = multi_punct(c, self.at(start + 1), self.at(start + 2)) {
            self.pos = start + p.len();
            return (Kind::Punct(p), None);
        }
        match single_punct(c) {
            Some(p) => {
                self.pos = start + 1;
                (Kind::Punct(p), None)
            }
            None => {
                self.pos = start + 1;
                (Kind::Other, None)
            }
        }
    }

    fn ident_starts_here(&self, i: usize) -> bool {
        let c = self.at(i);
        if is_ident_start_byte(c) {
            return true;
        }
        let next = self.at(i + 1);
        if c == b'$' && self.syn.dollar_idents {
            // JS: `$` alone is a name; PHP: `$name`, `$$name`.
            return !self.syn.php_tags || is_ident_start_byte(next) || next == b'$';
        }
        if self.syn.ruby_extras && (c == b'@' || c == b'$') {
            return is_ident_start_byte(next)
                || (c == b'@' && next == b'@' && is_ident_start_byte(self.at(i + 2)));
        }
        false
    }

    fn ident_end(&self, start: usize) -> usize {
        let mut p = start;
        // Sigils: `$`, `$$`, `@`, `@@`.
        while matches!(self.at(p), b'$' | b'@') && p < start + 2 {
            p += 1;
        }
        loop {
            let b = self.at(p);
            if is_ident_byte(b) || (b == b'$' && self.syn.dollar_idents && !self.syn.php_tags) {
                p += 1;
            } else {
                break;
            }
        }
        if self.syn.ruby_extras && p > start && matches!(self.at(p), b'?' | b'!') {
            let after = self.at(p + 1);
            if !matches!(after, b'=' | b':')
                && (after == b'('
                    || after == b')'
                    || after == b'.'
                    || after == b','
                    || after.is_ascii_whitespace()
                    || after == 0)
            {
                p += 1;
            }
        }
        p.max(start + 1)
    }

    /// Python / Rust string prefixes (`f"…"`, `r#"…"#`, …). `[start, end)` is the prefix word.
    fn prefixed_string(&mut self, start: usize, end: usize) -> Option<(Kind, Option<Box<Lit>>)> {
        let word = self.s.get(start..end)?;
        let q = self.at(end);
        match self.syn.prefixes {
            Prefixes::Python => {
                if !(q == b'"' || q == b'\'') || word.len() > 2 {
                    return None;
                }
                let lower: Vec<u8> = word.iter().map(u8::to_ascii_lowercase).collect();
                let valid = matches!(
                    lower.as_slice(),
                    b"r" | b"u"
                        | b"b"
                        | b"f"
                        | b"t"
                        | b"br"
                        | b"rb"
                        | b"fr"
                        | b"rf"
                        | b"tr"
                        | b"rt"
                );
                if !valid {
                    return None;
                }
                let interp = if lower.contains(&b'f') || lower.contains(&b't') {
                    Interp::Brace(1)
                } else {
                    Interp::None
                };
                let triple = self.at(end + 1) == q && self.at(end + 2) == q;
                Some(if triple {
                    self.string(
                        end + 3,
                        Stop::Quote {
                            q,
                            n: 3,
                            doubled: false,
                        },
                        true,
                        true,
                        interp,
                    )
                } else {
                    self.string(
                        end + 1,
                        Stop::Quote {
                            q,
                            n: 1,
                            doubled: false,
                        },
                        true,
                        false,
                        interp,
                    )
                })
            }
            Prefixes::Rust => {
                let raw = matches!(word, b"r" | b"br" | b"cr");
                if raw && (q == b'"' || q == b'#') {
                    let hashes = self.run_of(end, b'#');
                    if self.at(end + hashes) == b'"' {
                        return Some(self.string(
                            end + hashes + 1,
                            Stop::RustRaw(hashes),
                            false,
                            true,
                            Interp::None,
                        ));
                    }
                    if word == b"r" && hashes == 1 && is_ident_start_byte(self.at(end + 1)) {
                        // Raw identifier `r#type`.
                        self.pos = self.ident_end(end + 1);
                        return Some((Kind::Ident, None));
                    }
                    return None;
                }
                if matches!(word, b"b" | b"c") && q == b'"' {
                    return Some(self.string(
                        end + 1,
                        Stop::Quote {
                            q,
                            n: 1,
                            doubled: false,
                        },
                        true,
                        true,
                        Interp::None,
                    ));
                }
                if word == b"b" && q == b'\'' {
                    return Some(self.char_lit(end));
                }
                None
            }
            _ => None,
        }
    }

    /// C# `$"…"`, `@"…"`, `$@"…"`, `@$"…"`, `$"""…"""`, `$$"""…"""`.
    fn csharp_prefixed(&mut self, start: usize) -> Option<(Kind, Option<Box<Lit>>)> {
        let mut p = start;
        let (mut dollars, mut ats) = (0u8, 0u8);
        while p < start + 6 {
            match self.at(p) {
                b'$' => dollars = dollars.saturating_add(1),
                b'@' => ats = ats.saturating_add(1),
                _ => break,
            }
            p += 1;
        }
        if self.at(p) != b'"' || ats > 1 {
            return None;
        }
        Some(self.csharp_string(p, dollars, ats == 1))
    }

    fn csharp_string(&mut self, q: usize, dollars: u8, verbatim: bool) -> (Kind, Option<Box<Lit>>) {
        let interp = if dollars > 0 {
            Interp::Brace(1)
        } else {
            Interp::None
        };
        if verbatim {
            return self.string(
                q + 1,
                Stop::Quote {
                    q: b'"',
                    n: 1,
                    doubled: true,
                },
                false,
                true,
                interp,
            );
        }
        let run = self.run_of(q, b'"');
        if run >= 3 {
            let interp = if dollars > 0 {
                Interp::Brace(dollars)
            } else {
                Interp::None
            };
            return self.string(
                q + run,
                Stop::Quote {
                    q: b'"',
                    n: run,
                    doubled: false,
                },
                false,
                true,
                interp,
            );
        }
        self.string(
            q + 1,
            Stop::Quote {
                q: b'"',
                n: 1,
                doubled: false,
            },
            true,
            false,
            interp,
        )
    }

    fn double_quoted(&mut self, q: usize) -> (Kind, Option<Box<Lit>>) {
        let syn = self.syn;
        if syn.prefixes == Prefixes::CSharp {
            return self.csharp_string(q, 0, false);
        }
        if syn.triple_quotes && self.starts(q, b"\"\"\"") {
            return self.string(
                q + 3,
                Stop::Quote {
                    q: b'"',
                    n: 3,
                    doubled: false,
                },
                true,
                true,
                syn.double_interp,
            );
        }
        self.string(
            q + 1,
            Stop::Quote {
                q: b'"',
                n: 1,
                doubled: false,
            },
            true,
            syn.strings_span_lines,
            syn.double_interp,
        )
    }

    /// Lex a string whose body starts at `body`; sets `self.pos` past the closing delimiter.
    fn string(
        &mut self,
        body: usize,
        stop: Stop,
        escapes: bool,
        multiline: bool,
        interp: Interp,
    ) -> (Kind, Option<Box<Lit>>) {
        let (body_end, after, interps) = self.scan_body(body, stop, escapes, multiline, interp);
        self.pos = after;
        (
            Kind::Str,
            Some(Box::new(Lit {
                body: (body.min(body_end), body_end),
                interps,
                template: false,
            })),
        )
    }

    /// Scan a string body. Returns (body end, position after the closing delimiter, interpolations).
    fn scan_body(
        &mut self,
        from: usize,
        stop: Stop,
        escapes: bool,
        multiline: bool,
        interp: Interp,
    ) -> (usize, usize, Vec<(usize, usize)>) {
        let mut interps = Vec::new();
        let limit = match stop {
            Stop::Limit(e) => e.min(self.s.len()),
            _ => self.s.len(),
        };
        let mut i = from;
        loop {
            if i >= limit {
                return (limit, limit, interps);
            }
            let b = self.at(i);
            match stop {
                Stop::Quote { q, n, doubled } if b == q => {
                    if doubled && self.at(i + 1) == q {
                        i += 2;
                        continue;
                    }
                    if n == 1 || self.run_of(i, q) >= n {
                        return (i, i + n, interps);
                    }
                }
                Stop::RustRaw(k) if b == b'"' && self.run_of(i + 1, b'#') >= k => {
                    return (i, i + 1 + k, interps);
                }
                _ => {}
            }
            if escapes && b == b'\\' {
                i += 2;
                continue;
            }
            if b == b'\n' && !multiline {
                return (i, i, interps);
            }
            match interp {
                Interp::Ruby if b == b'#' && self.at(i + 1) == b'{' => {
                    let (inner_end, after) = self.skip_braced(i + 2);
                    interps.push((i + 2, inner_end));
                    i = after;
                    continue;
                }
                Interp::Js if b == b'$' && self.at(i + 1) == b'{' => {
                    let (inner_end, after) = self.skip_braced(i + 2);
                    interps.push((i + 2, inner_end));
                    i = after;
                    continue;
                }
                Interp::Brace(n) if b == b'{' => {
                    let run = self.run_of(i, b'{');
                    if n <= 1 {
                        if run >= 2 {
                            i += 2;
                            continue;
                        }
                        let (inner_end, after) = self.skip_braced(i + 1);
                        interps.push((i + 1, inner_end));
                        i = after;
                        continue;
                    }
                    if run >= usize::from(n) {
                        let open = i + run;
                        let (inner_end, after) = self.skip_braced(open);
                        interps.push((open, inner_end));
                        i = after;
                        let mut extra = 1;
                        while extra < n && self.at(i) == b'}' {
                            i += 1;
                            extra += 1;
                        }
                        continue;
                    }
                    i += run;
                    continue;
                }
                Interp::Php => {
                    let next = self.at(i + 1);
                    if b == b'$' && is_ident_start_byte(next) {
                        let e = self.php_var_end(i);
                        interps.push((i, e));
                        i = e;
                        continue;
                    }
                    if b == b'{' && next == b'$' {
                        let (inner_end, after) = self.skip_braced(i + 1);
                        interps.push((i + 1, inner_end));
                        i = after;
                        continue;
                    }
                    if b == b'$' && next == b'{' {
                        let (inner_end, after) = self.skip_braced(i + 2);
                        interps.push((i + 2, inner_end));
                        i = after;
                        continue;
                    }
                }
                _ => {}
            }
            i += 1;
        }
    }

    /// End of a simple PHP interpolation: `$name`, `$name[…]`, `$name->prop`.
    fn php_var_end(&self, dollar: usize) -> usize {
        let mut j = dollar + 1;
        while is_ident_byte(self.at(j)) {
            j += 1;
        }
        if self.at(j) == b'[' {
            let mut k = j + 1;
            while k < self.s.len() && k < j + 128 {
                match self.at(k) {
                    b']' => return k + 1,
                    b'"' | b'\n' => break,
                    _ => k += 1,
                }
            }
        } else if self.starts(j, b"->") && is_ident_start_byte(self.at(j + 2)) {
            j += 2;
            while is_ident_byte(self.at(j)) {
                j += 1;
            }
        }
        j
    }

    /// Lex code from `from` up to the matching unbalanced `}`. Returns (position of that `}`,
    /// position after it); both are the end of input when it is missing.
    fn skip_braced(&mut self, from: usize) -> (usize, usize) {
        let len = self.s.len();
        if from >= len {
            return (len, len);
        }
        if self.nesting >= MAX_NESTING {
            return match self.find_from(from, b'}') {
                Some(p) => (p, p + 1),
                None => (len, len),
            };
        }
        let saved = (self.pos, self.prev_expr_end, self.heredoc_resume);
        self.pos = from;
        self.prev_expr_end = false;
        self.heredoc_resume = 0;
        self.nesting += 1;
        let mut depth = 0usize;
        let mut out = (len, len);
        while let Some(t) = self.next_token() {
            match t.kind {
                Kind::Punct("{") => depth += 1,
                Kind::Punct("}") => {
                    if depth == 0 {
                        out = (t.start, t.end);
                        break;
                    }
                    depth -= 1;
                }
                _ => {}
            }
        }
        self.nesting -= 1;
        (self.pos, self.prev_expr_end, self.heredoc_resume) = saved;
        out
    }

    fn char_lit(&mut self, quote: usize) -> (Kind, Option<Box<Lit>>) {
        let mut i = quote + 1;
        let limit = (quote + 16).min(self.s.len());
        while i < limit {
            match self.at(i) {
                b'\\' => i += 2,
                b'\'' => {
                    self.pos = i + 1;
                    return (Kind::Char, None);
                }
                b'\n' => break,
                _ => i += 1,
            }
        }
        // Not a well-formed char literal: treat the quote as punctuation.
        self.pos = quote + 1;
        (Kind::Punct("'"), None)
    }

    /// Rust `'x'`, `'\n'` or a lifetime / loop label `'a`.
    fn rust_quote(&mut self, quote: usize) -> (Kind, Option<Box<Lit>>) {
        let c = self.at(quote + 1);
        if c == b'\\' {
            return self.char_lit(quote);
        }
        let width = match c {
            0..=0x7f => 1,
            0xc0..=0xdf => 2,
            0xe0..=0xef => 3,
            _ => 4,
        };
        if self.at(quote + 1 + width) == b'\'' {
            self.pos = quote + 2 + width;
            return (Kind::Char, None);
        }
        let mut p = quote + 1;
        while is_ident_byte(self.at(p)) {
            p += 1;
        }
        self.pos = p.max(quote + 1);
        (Kind::Other, None)
    }

    fn regex(&mut self, start: usize) -> (Kind, Option<Box<Lit>>) {
        let mut i = start + 1;
        let mut class = false;
        while i < self.s.len() {
            match self.at(i) {
                b'\\' => i += 2,
                b'[' => {
                    class = true;
                    i += 1;
                }
                b']' => {
                    class = false;
                    i += 1;
                }
                b'/' if !class => {
                    i += 1;
                    while self.at(i).is_ascii_alphabetic() {
                        i += 1;
                    }
                    self.pos = i;
                    return (Kind::Other, None);
                }
                b'\n' => break,
                _ => i += 1,
            }
        }
        self.pos = i.min(self.s.len()).max(start + 1);
        (Kind::Other, None)
    }

    /// Ruby `%q(…)`, `%Q[…]`, `%w{…}`, `%i<…>`, `%r|…|`, `%(…)`.
    fn percent_literal(&mut self, start: usize) -> Option<(Kind, Option<Box<Lit>>)> {
        let mut p = start + 1;
        let t = self.at(p);
        let typ = if matches!(
            t,
            b'q' | b'Q' | b'w' | b'W' | b'i' | b'I' | b'r' | b's' | b'x'
        ) {
            p += 1;
            t
        } else {
            b'Q'
        };
        let open = self.at(p);
        let close = match open {
            b'(' => b')',
            b'[' => b']',
            b'{' => b'}',
            b'<' => b'>',
            b'|' | b'!' | b'/' | b'^' | b'~' | b'"' | b'\'' | b'-' | b'+' | b':' => open,
            _ => return None,
        };
        let interp = matches!(typ, b'Q' | b'W' | b'I' | b'r' | b'x');
        let body = p + 1;
        let mut i = body;
        let mut depth = 0usize;
        let mut interps = Vec::new();
        let (body_end, after) = loop {
            if i >= self.s.len() {
                break (self.s.len(), self.s.len());
            }
            let b = self.at(i);
            if b == b'\\' {
                i += 2;
                continue;
            }
            if interp && b == b'#' && self.at(i + 1) == b'{' {
                let (inner_end, after) = self.skip_braced(i + 2);
                interps.push((i + 2, inner_end));
                i = after;
                continue;
            }
            if b == close {
                if depth == 0 {
                    break (i, i + 1);
                }
                depth -= 1;
            } else if b == open && open != close {
                depth += 1;
            }
            i += 1;
        };
        self.pos = after;
        if matches!(typ, b'q' | b'Q') {
            Some((
                Kind::Str,
                Some(Box::new(Lit {
                    body: (body.min(body_end), body_end),
                    interps,
                    template: false,
                })),
            ))
        } else {
            Some((Kind::Other, None))
        }
    }

    /// Ruby heredoc. The body starts on the next line (after any earlier heredoc on the same
    /// line); lexing continues on the current line and jumps past the body at the line break.
    fn ruby_heredoc(&mut self, start: usize) -> Option<(Kind, Option<Box<Lit>>)> {
        let mut p = start + 2;
        let indented = matches!(self.at(p), b'~' | b'-');
        if indented {
            p += 1;
        }
        let quote = self.at(p);
        let quoted = matches!(quote, b'\'' | b'"' | b'`');
        if quoted {
            p += 1;
        }
        let id_start = p;
        while is_ident_byte(self.at(p)) && self.at(p) < 0x80 {
            p += 1;
        }
        let id = self.s.get(id_start..p)?;
        if id.is_empty() || id.len() > 64 {
            return None;
        }
        if quoted {
            if self.at(p) != quote {
                return None;
            }
            p += 1;
        } else if !(indented
            || id
                .first()
                .is_some_and(|&b| b.is_ascii_uppercase() || b == b'_'))
        {
            return None;
        }
        let marker_end = p;
        let body_start = if self.heredoc_resume > marker_end {
            self.heredoc_resume
        } else {
            self.line_end(marker_end)
                .saturating_add(1)
                .min(self.s.len())
        };
        let (term_start, term_line_end) = self.find_terminator(id, body_start, false)?;
        let interp = if quote == b'\'' {
            Interp::None
        } else {
            Interp::Ruby
        };
        let (_, _, interps) = self.scan_body(
            body_start,
            Stop::Limit(term_start),
            interp != Interp::None,
            true,
            interp,
        );
        self.heredoc_resume = (term_line_end + 1).min(self.s.len()).max(body_start);
        self.pos = marker_end;
        Some((
            Kind::Str,
            Some(Box::new(Lit {
                body: (body_start, term_start.max(body_start)),
                interps,
                template: false,
            })),
        ))
    }

    /// PHP heredoc / nowdoc: `<<<ID` … `ID`.
    fn php_heredoc(&mut self, start: usize) -> Option<(Kind, Option<Box<Lit>>)> {
        let mut p = start + 3;
        while matches!(self.at(p), b' ' | b'\t') {
            p += 1;
        }
        let quote = self.at(p);
        let quoted = matches!(quote, b'\'' | b'"');
        if quoted {
            p += 1;
        }
        let id_start = p;
        while is_ident_byte(self.at(p)) && self.at(p) < 0x80 {
            p += 1;
        }
        let id = self.s.get(id_start..p)?;
        if id.is_empty() || id.len() > 64 || id.first().is_some_and(u8::is_ascii_digit) {
            return None;
        }
        if quoted {
            if self.at(p) != quote {
                return None;
            }
            p += 1;
        }
        if self.at(p) == b'\r' {
            p += 1;
        }
        if self.at(p) != b'\n' {
            return None;
        }
        let body_start = p + 1;
        let interp = if quote == b'\'' {
            Interp::None
        } else {
            Interp::Php
        };
        let (body_end, after) = match self.find_terminator(id, body_start, true) {
            Some((line_start, _)) => {
                let ws = self.s.get(line_start..).map_or(0, |r| {
                    r.iter().take_while(|b| matches!(b, b' ' | b'\t')).count()
                });
                (line_start, line_start + ws + id.len())
            }
            None => (self.s.len(), self.s.len()),
        };
        let (_, _, interps) = self.scan_body(
            body_start,
            Stop::Limit(body_end),
            interp != Interp::None,
            true,
            interp,
        );
        self.pos = after.max(start + 3);
        Some((
            Kind::Str,
            Some(Box::new(Lit {
                body: (body_start.min(body_end), body_end),
                interps,
                template: false,
            })),
        ))
    }

    /// First line at or after `from` that terminates a heredoc named `id`: for Ruby the whole
    /// trimmed line is `id`; for PHP the line's leading identifier is `id`. Returns (line start,
    /// line end). Uses an index built once per file so many heredocs stay linear.
    fn find_terminator(&mut self, id: &[u8], from: usize, php: bool) -> Option<(usize, usize)> {
        if self.lines.is_none() {
            self.lines = Some(build_line_index(self.s, php));
        }
        let list = self.lines.as_ref()?.get(id)?;
        let k = list.partition_point(|&(start, _, _)| start < from);
        list.get(k).map(|&(start, _, end)| (start, end))
    }
}

fn build_line_index(s: &[u8], php: bool) -> LineIndex<'_> {
    let mut map: LineIndex<'_> = HashMap::new();
    let mut start = 0usize;
    while start <= s.len() {
        let end = s
            .get(start..)
            .and_then(|r| r.iter().position(|&b| b == b'\n'))
            .map_or(s.len(), |p| p + start);
        let line = s.get(start..end).unwrap_or_default();
        let ws = line
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count();
        let rest = line.get(ws..).unwrap_or_default();
        let id_len = rest
            .iter()
            .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_')
            .count();
        if id_len > 0 && id_len <= 64 {
            let after = rest.get(id_len..).unwrap_or_default();
            let ok = if php {
                true
            } else {
                after.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r'))
            };
            if ok {
                if let Some(key) = rest.get(..id_len) {
                    map.entry(key)
                        .or_default()
                        .push((start, start + ws + id_len, end));
                }
            }
        }
        if end >= s.len() {
            break;
        }
        start = end + 1;
    }
    map
}

fn mark_template(r: (Kind, Option<Box<Lit>>)) -> (Kind, Option<Box<Lit>>) {
    let (kind, lit) = r;
    (
        kind,
        lit.map(|mut l| {
            l.template = true;
            l
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang;
    use crate::Language;

    fn kinds(lang: Language, src: &str) -> Vec<(Kind, String)> {
        tokenize(src, &lang::spec(lang).syntax)
            .into_iter()
            .map(|t| (t.kind, src[t.start..t.end].to_string()))
            .collect()
    }

    #[test]
    fn python_strings_and_comments() {
        let toks = kinds(
            Language::Python,
            "x = f\"a {b!r} {{c}}\" # comment 'q\n'''doc \"x\" '''",
        );
        assert_eq!(toks.len(), 4, "{toks:?}");
        assert_eq!(toks[2].0, Kind::Str);
        assert_eq!(toks[3].0, Kind::Str);
        let t = tokenize(
            "f\"a {b} {{c}} {d:>{w}}\"",
            &lang::spec(Language::Python).syntax,
        );
        let lit = t[0].lit.as_ref().unwrap();
        assert_eq!(lit.interps.len(), 2);
    }

    #[test]
    fn js_template_nesting() {
        let src = "q(`a ${f(`b ${c}`)} d`) // x";
        let t = tokenize(src, &lang::spec(Language::JavaScript).syntax);
        let kinds: Vec<_> = t.iter().map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            vec![Kind::Ident, Kind::Punct("("), Kind::Str, Kind::Punct(")")]
        );
        let lit = t[2].lit.as_ref().unwrap();
        assert_eq!(lit.interps.len(), 1);
        assert_eq!(&src[lit.interps[0].0..lit.interps[0].1], "f(`b ${c}`)");
    }

    #[test]
    fn rust_raw_and_lifetimes() {
        let src = "fn f<'a>(x: &'a str) -> char { let s = r#\"a \"b\" c\"#; 'x' }";
        let t = kinds(Language::Rust, src);
        assert!(t
            .iter()
            .any(|(k, s)| *k == Kind::Str && s == "r#\"a \"b\" c\"#"));
        assert!(t.iter().any(|(k, s)| *k == Kind::Char && s == "'x'"));
    }

    #[test]
    fn ruby_heredoc_resumes_line() {
        let src = "conn.execute(<<~SQL, x)\n  SELECT #{a}\nSQL\nfoo";
        let t = kinds(Language::Ruby, src);
        let names: Vec<_> = t.iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(
            names,
            vec!["conn", ".", "execute", "(", "<<~SQL", ",", "x", ")", "foo"]
        );
    }

    #[test]
    fn php_modes() {
        let src = "<p>Don't</p><?php $a = \"x $b {$c['d']}\"; // c ?> it's <?= $e ?>";
        let t = kinds(Language::Php, src);
        let names: Vec<_> = t.iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(names, vec!["$a", "=", "\"x $b {$c['d']}\"", ";", "$e"]);
    }

    #[test]
    fn csharp_forms() {
        let src = "var a = $@\"x {y} \"\"q\"\"\"; var b = \"\"\"raw \"q\" \"\"\"; char c = '\\'';";
        let t = tokenize(src, &lang::spec(Language::CSharp).syntax);
        let strs: Vec<_> = t.iter().filter(|t| t.kind == Kind::Str).collect();
        assert_eq!(strs.len(), 2);
        assert_eq!(strs[0].lit.as_ref().unwrap().interps.len(), 1);
        assert!(strs[1].lit.as_ref().unwrap().interps.is_empty());
        assert!(t.iter().any(|t| t.kind == Kind::Char));
    }
}
