//! Go: database/sql, pgx, sqlx, gorm.

use super::{ArgPick, FmtStyle, FormatFn, Scope, Sink, Spec};
use crate::lex::{Backtick, Heredoc, Interp, Prefixes, SingleQuote, Syntax};

const GORM: &str = "bind values: db.Where(\"name = ?\", name) / db.Raw(\"SELECT … WHERE id = ?\", id); for identifiers use clause.Column / clause.Table or a whitelist";

pub(super) static SPEC: Spec = Spec {
    syntax: Syntax {
        line_comments: &["//"],
        block_comment: Some(("/*", "*/")),
        nested_comments: false,
        single_quote: SingleQuote::Char,
        double_interp: Interp::None,
        strings_span_lines: false,
        backtick: Backtick::Raw,
        prefixes: Prefixes::None,
        triple_quotes: false,
        heredoc: Heredoc::None,
        regex_literals: false,
        percent_literals: false,
        ruby_extras: false,
        php_tags: false,
        dollar_idents: false,
    },
    // Exported Go method names with these spellings are database APIs in practice, so they are
    // strong. database/sql puts the SQL first; pgx puts a context first.
    sinks: &[
        Sink::method("Query", true).arg(ArgPick::SkipContext),
        Sink::method("QueryRow", true).arg(ArgPick::SkipContext),
        Sink::method("Exec", true).arg(ArgPick::SkipContext),
        Sink::method("Queryx", true).arg(ArgPick::SkipContext),
        Sink::method("QueryRowx", true).arg(ArgPick::SkipContext),
        Sink::method("MustExec", true).arg(ArgPick::SkipContext),
        Sink::method("NamedExec", true).arg(ArgPick::SkipContext),
        Sink::method("Prepare", true).arg(ArgPick::SkipContext),
        Sink::method("QueryContext", true).arg(ArgPick::Index(1)),
        Sink::method("QueryRowContext", true).arg(ArgPick::Index(1)),
        Sink::method("ExecContext", true).arg(ArgPick::Index(1)),
        Sink::method("PrepareContext", true).arg(ArgPick::Index(1)),
        Sink::method("QueryxContext", true).arg(ArgPick::Index(1)),
        // sqlx: Select(&dest, query, args…), SelectContext(ctx, &dest, query, args…)
        Sink::method("Select", false).arg(ArgPick::Index(1)),
        Sink::method("Get", false).arg(ArgPick::Index(1)),
        Sink::method("SelectContext", true).arg(ArgPick::Index(2)),
        Sink::method("GetContext", true).arg(ArgPick::Index(2)),
        // gorm
        Sink::method("Raw", true).advice(GORM),
        Sink::method("Where", true).advice(GORM),
    ],
    safe_calls: &[
        "QuoteIdentifier",
        "QuoteLiteral",
        "Sanitize",
        "Itoa",
        "FormatInt",
        "FormatUint",
        "FormatFloat",
        "FormatBool",
    ],
    format_fns: &[FormatFn::new(Some("fmt"), "Sprintf", FmtStyle::Printf)],
    literal_methods: &[],
    percent_format: false,
    concat_op: "+",
    append_ops: &["+="],
    append_methods: &["WriteString"],
    transparent: &["String"],
    newline_ends_statement: true,
    ternary: false,
    python_ternary: false,
    scope: Scope::Braces,
    composite_literals: true,
    macros: false,
    paren_free_calls: false,
    interp_cut: &[],
    interp_phrase: "string interpolation",
    format_phrase: "fmt.Sprintf",
    advice: "pass values as arguments: db.QueryContext(ctx, \"SELECT … WHERE id = $1\", id) ($1 for PostgreSQL, ? for MySQL and SQLite); for identifiers use pq.QuoteIdentifier(name) or pgx.Identifier{name}.Sanitize()",
};
