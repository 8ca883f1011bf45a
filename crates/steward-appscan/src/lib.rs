//! Find SQL built by string concatenation or interpolation in application code.
//!
//! [`scan`] looks at one source file and reports each call to a known database execute/query
//! API (a *sink*: `cursor.execute`, `client.query`, `db.Query`, `stmt.executeQuery`,
//! `connection.execute`, `mysqli_query`, `new SqlCommand`, `sqlx::query`, …) whose SQL argument
//! is built dynamically, with the parameterised form for that language's driver.
//!
//! # What is reported
//!
//! The SQL argument of a sink is reported when it is *built* from a string literal and something
//! not known to be constant:
//! - concatenation: `"SELECT … " + id`, `'…' . $id` ([`Construction::Concatenation`]);
//! - interpolation: f-strings, template literals, `#{}`, PHP `"$x"`, C# `$"{x}"`
//!   ([`Construction::Interpolation`]);
//! - formatting: `"…" % x`, `"…".format(x)`, `fmt.Sprintf`, `String.format`, `sprintf`,
//!   `string.Format`, `format!` ([`Construction::FormatCall`]);
//! - a variable assigned such a value earlier in the same scope (`q = f"…"; cur.execute(q)`),
//!   including `+=` / `.=` / `<<` / `append` / `push_str` accumulation
//!   ([`Construction::VariableBuiltEarlier`]).
//!
//! Unambiguous sinks (`executeQuery`, `find_by_sql`, `mysqli_query`, `FromSqlRaw`, …) report any
//! such argument. Generic names (`query`, `execute`, `exec`, `raw`) only report when the literal
//! text looks like SQL: it starts with a statement keyword (SELECT, INSERT, UPDATE, DELETE, WITH,
//! MERGE, CREATE, ALTER, DROP, TRUNCATE, GRANT, CALL, EXEC, COPY, SET, …) or contains a verb and
//! a clause word (FROM, WHERE, INTO, SET, VALUES, …).
//!
//! # What is not reported, and why
//!
//! Low false positives matter more than recall, so these are deliberately quiet:
//! - constants: literals, concatenations of literals, ALL_CAPS names, names assigned only
//!   constants, numbers, and numeric-only printf formats (`%d`);
//! - values passed separately (`execute("… %s", (x,))`, `query("… $1", [x])`), tagged templates
//!   (`` prisma.$queryRaw`…${x}` ``), EF Core `FromSqlInterpolated` / `ExecuteSqlInterpolated` /
//!   `FromSql`, sqlx `query!` macros;
//! - identifier and literal quoting helpers and numeric conversions spliced into the text
//!   (`psycopg.sql.Identifier`, `pq.QuoteIdentifier`, `pgx.Identifier{}.Sanitize()`,
//!   `escapeIdentifier`, pg-format `format('%I')`, `connection.quote`, `pg_escape_identifier`,
//!   `int(x)`, `x.to_i`, `(int)$x`), and placeholder lists (`",".join(["%s"] * n)`);
//! - a bare variable or parameter of unknown origin (`cur.execute(query)` where `query` is a
//!   function parameter): the scanner does not follow values across functions or files;
//! - anything inside comments and docstrings, which the per-language lexer skips.
//!
//! The scanner is lexical (a small tokeniser per language plus a one-pass expression
//! classifier), never panics, and runs in time linear in the input.
//!
//! Messages and suggestions never quote the scanned source's string contents (they may hold
//! secrets); they name only the sink.

mod lang;
mod lex;
mod scan;

use std::path::Path;

/// A source language the scanner understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    Python,
    /// JavaScript and TypeScript.
    JavaScript,
    Go,
    Java,
    Ruby,
    Php,
    CSharp,
    Rust,
}

impl Language {
    /// The language of a file, from its extension.
    pub fn from_path(path: &Path) -> Option<Language> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "py" | "pyw" => Language::Python,
            "js" | "mjs" | "cjs" | "jsx" | "ts" | "tsx" | "mts" | "cts" => Language::JavaScript,
            "go" => Language::Go,
            "java" => Language::Java,
            "rb" | "rake" => Language::Ruby,
            "php" => Language::Php,
            "cs" => Language::CSharp,
            "rs" => Language::Rust,
            _ => return None,
        })
    }

    /// A stable lower-case name: `python`, `javascript`, `go`, `java`, `ruby`, `php`,
    /// `csharp`, `rust`.
    pub fn name(self) -> &'static str {
        match self {
            Language::Python => "python",
            Language::JavaScript => "javascript",
            Language::Go => "go",
            Language::Java => "java",
            Language::Ruby => "ruby",
            Language::Php => "php",
            Language::CSharp => "csharp",
            Language::Rust => "rust",
        }
    }
}

/// How the SQL text was built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Construction {
    /// `"…" + x`, `'…' . $x`, `string.Concat`.
    Concatenation,
    /// f-strings, template literals, `#{}`, `"$x"`, `$"{x}"`.
    Interpolation,
    /// `%`, `.format`, `fmt.Sprintf`, `String.format`, `sprintf`, `string.Format`, `format!`.
    FormatCall,
    /// A variable assigned (or appended to) dynamically built text earlier in the same scope.
    VariableBuiltEarlier,
}

/// One sink call whose SQL argument is built dynamically.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// 1-based line of the sink call.
    pub line: usize,
    /// 1-based column (in chars) of the sink name.
    pub column: usize,
    /// 1-based line where the call ends.
    pub end_line: usize,
    /// The sink as written, e.g. `cursor.execute`, `db.Query`, `new SqlCommand`.
    pub sink: String,
    pub construction: Construction,
    /// One sentence, e.g. "SQL built with an f-string is passed to cursor.execute".
    pub message: String,
    /// The parameterised form for this language's driver.
    pub suggestion: String,
}

/// Scan one source file. Never panics; unknown or malformed input yields no findings.
pub fn scan(language: Language, source: &str) -> Vec<Finding> {
    scan::scan(language, source)
}
