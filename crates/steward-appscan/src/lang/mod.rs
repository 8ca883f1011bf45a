//! Per-language knowledge: lexical syntax, SQL sinks, helpers whose output is safe to splice
//! into SQL, string-formatting functions, and the parameterised form to suggest.
//!
//! Each language file is a table, not code: the engine in `scan.rs` is shared.

use crate::lex::Syntax;
use crate::Language;

mod csharp;
mod go;
mod java;
mod javascript;
mod php;
mod python;
mod ruby;
mod rust;

/// How a sink is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// `recv.name(…)`, `recv->name(…)`, `Type::name(…)`.
    Method,
    /// `name(…)` without a receiver.
    Function,
    /// Either of the above.
    Any,
    /// `new Name(…)`.
    Constructor,
    /// `recv.Name = …` (C# `CommandText`).
    Property,
}

/// Which argument carries the SQL text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArgPick {
    Index(usize),
    Last,
    /// The first argument, or the second when the first is a context (`ctx`, `r.Context()`),
    /// for Go APIs that exist with and without a leading context.
    SkipContext,
}

/// A call that executes (or prepares) the SQL text it is given.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sink {
    pub name: &'static str,
    pub form: Form,
    pub arg: ArgPick,
    /// Unambiguous SQL sinks report any dynamically built argument. Generic names
    /// (`query`, `execute`, `exec`) report only when the built text looks like SQL.
    pub strong: bool,
    /// Advice specific to this API; the language default otherwise.
    pub advice: Option<&'static str>,
}

impl Sink {
    pub(crate) const fn method(name: &'static str, strong: bool) -> Sink {
        Sink {
            name,
            form: Form::Method,
            arg: ArgPick::Index(0),
            strong,
            advice: None,
        }
    }
    pub(crate) const fn form(self, form: Form) -> Sink {
        Sink { form, ..self }
    }
    pub(crate) const fn arg(self, arg: ArgPick) -> Sink {
        Sink { arg, ..self }
    }
    pub(crate) const fn advice(self, advice: &'static str) -> Sink {
        Sink {
            advice: Some(advice),
            ..self
        }
    }
}

/// How a formatting function reads its arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FmtStyle {
    /// `%s`/`%d` verbs; a format whose verbs are all numeric cannot carry SQL text.
    Printf,
    /// `{}` / `{0}` placeholders.
    Brace,
    /// Rust `format!`: also captures variables named inside `{…}`.
    RustFormat,
    /// Every argument is concatenated (`string.Concat`).
    Concat,
}

/// A function that builds a string from a format and arguments.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FormatFn {
    /// Required receiver (`fmt` for `fmt.Sprintf`); `None` means a bare call.
    pub receiver: Option<&'static str>,
    pub name: &'static str,
    /// A macro (`format!`).
    pub bang: bool,
    pub style: FmtStyle,
}

impl FormatFn {
    pub(crate) const fn new(
        receiver: Option<&'static str>,
        name: &'static str,
        style: FmtStyle,
    ) -> Self {
        FormatFn {
            receiver,
            name,
            bang: false,
            style,
        }
    }
}

/// How variable lifetimes are approximated when tracking assignments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// A variable is forgotten when the `{}` block it was first assigned in closes.
    Braces,
    /// Indented (non-top-level) variables are forgotten at the next `def`.
    Def,
}

pub(crate) struct Spec {
    pub syntax: Syntax,
    pub sinks: &'static [Sink],
    /// Calls (or method names anywhere in a call chain) whose result is safe to splice into
    /// SQL: identifier/literal quoting and numeric conversions.
    pub safe_calls: &'static [&'static str],
    pub format_fns: &'static [FormatFn],
    /// Methods called on a string literal that format it (`"…".format(x)`, `"""…""".formatted(x)`).
    pub literal_methods: &'static [(&'static str, FmtStyle)],
    /// `"…" % x` formats (Python, Ruby).
    pub percent_format: bool,
    /// The string concatenation operator.
    pub concat_op: &'static str,
    /// `sql += x`, `$sql .= x`, `sql << x`.
    pub append_ops: &'static [&'static str],
    /// `sb.append(x)`, `b.WriteString(x)`, `s.push_str(x)`.
    pub append_methods: &'static [&'static str],
    /// Methods that return the same text (`.toString()`, `.as_str()`, `.strip()`).
    pub transparent: &'static [&'static str],
    /// A line break ends a statement (outside brackets) unless the line obviously continues.
    pub newline_ends_statement: bool,
    /// `cond ? a : b`.
    pub ternary: bool,
    /// `a if cond else b`.
    pub python_ternary: bool,
    pub scope: Scope,
    /// Go composite literals `pgx.Identifier{t}`.
    pub composite_literals: bool,
    /// Rust macros `name!(…)`.
    pub macros: bool,
    /// Ruby calls without parentheses: `where "…"`.
    pub paren_free_calls: bool,
    /// Inside an interpolation, the expression ends at these top-level tokens
    /// (Python `!r` / `:fmt`, C# `,align` / `:fmt`).
    pub interp_cut: &'static [&'static str],
    pub interp_phrase: &'static str,
    pub format_phrase: &'static str,
    pub advice: &'static str,
}

pub(crate) fn spec(lang: Language) -> &'static Spec {
    match lang {
        Language::Python => &python::SPEC,
        Language::JavaScript => &javascript::SPEC,
        Language::Go => &go::SPEC,
        Language::Java => &java::SPEC,
        Language::Ruby => &ruby::SPEC,
        Language::Php => &php::SPEC,
        Language::CSharp => &csharp::SPEC,
        Language::Rust => &rust::SPEC,
    }
}
