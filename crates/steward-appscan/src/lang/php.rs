//! PHP: PDO, mysqli, pgsql, sqlsrv, Laravel query builder.

use super::{ArgPick, FmtStyle, Form, FormatFn, Scope, Sink, Spec};
use crate::lex::{Backtick, Heredoc, Interp, Prefixes, SingleQuote, Syntax};

const PGSQL: &str = "bind values: pg_query_params($conn, \"SELECT … WHERE id = $1\", [$id]); quote identifiers with pg_escape_identifier($conn, $name)";
const MYSQLI: &str = "use a prepared statement: $stmt = $mysqli->prepare(\"SELECT … WHERE id = ?\"); $stmt->bind_param(\"i\", $id); $stmt->execute()";
const LARAVEL: &str = "bind values: ->whereRaw(\"name = ?\", [$name]) / DB::select(\"… WHERE id = ?\", [$id]); never interpolate into raw expressions";

pub(super) static SPEC: Spec = Spec {
    syntax: Syntax {
        line_comments: &["//", "#"],
        block_comment: Some(("/*", "*/")),
        nested_comments: false,
        single_quote: SingleQuote::Str,
        double_interp: Interp::Php,
        strings_span_lines: true,
        backtick: Backtick::LikeDouble,
        prefixes: Prefixes::None,
        triple_quotes: false,
        heredoc: Heredoc::Php,
        regex_literals: false,
        percent_literals: false,
        ruby_extras: false,
        php_tags: true,
        dollar_idents: true,
    },
    sinks: &[
        // Procedural APIs: the connection comes first (except mysql_query and one-arg pg_query).
        Sink::method("mysqli_query", true).form(Form::Function).arg(ArgPick::Index(1)).advice(MYSQLI),
        Sink::method("mysqli_real_query", true).form(Form::Function).arg(ArgPick::Index(1)).advice(MYSQLI),
        Sink::method("mysqli_multi_query", true).form(Form::Function).arg(ArgPick::Index(1)).advice(MYSQLI),
        Sink::method("mysql_query", true).form(Form::Function).advice(MYSQLI),
        Sink::method("pg_query", true).form(Form::Function).arg(ArgPick::Last).advice(PGSQL),
        Sink::method("pg_send_query", true).form(Form::Function).arg(ArgPick::Last).advice(PGSQL),
        Sink::method("pg_prepare", true).form(Form::Function).arg(ArgPick::Index(2)).advice(PGSQL),
        Sink::method("sqlsrv_query", true).form(Form::Function).arg(ArgPick::Index(1)),
        Sink::method("odbc_exec", true).form(Form::Function).arg(ArgPick::Index(1)),
        // PDO / mysqli objects.
        Sink::method("query", false),
        Sink::method("exec", false),
        Sink::method("prepare", false),
        Sink::method("real_query", true).advice(MYSQLI),
        Sink::method("multi_query", true).advice(MYSQLI),
        // Laravel.
        Sink::method("whereRaw", true).advice(LARAVEL),
        Sink::method("orWhereRaw", true).advice(LARAVEL),
        Sink::method("havingRaw", true).advice(LARAVEL),
        Sink::method("orderByRaw", true).advice(LARAVEL),
        Sink::method("selectRaw", true).advice(LARAVEL),
        Sink::method("unprepared", true).advice(LARAVEL),
        Sink::method("statement", false).advice(LARAVEL),
        Sink::method("select", false).advice(LARAVEL),
        Sink::method("raw", false).advice(LARAVEL),
    ],
    safe_calls: &[
        "quote",
        "quoteIdentifier",
        "quoteName",
        "intval",
        "floatval",
        "pg_escape_identifier",
        "pg_escape_literal",
        "pg_escape_string",
        "mysqli_real_escape_string",
        "real_escape_string",
        "escape_string",
    ],
    format_fns: &[
        FormatFn::new(None, "sprintf", FmtStyle::Printf),
        FormatFn::new(None, "vsprintf", FmtStyle::Printf),
    ],
    literal_methods: &[],
    percent_format: false,
    concat_op: ".",
    append_ops: &[".="],
    append_methods: &[],
    transparent: &[],
    newline_ends_statement: false,
    ternary: true,
    python_ternary: false,
    scope: Scope::Braces,
    composite_literals: false,
    macros: false,
    paren_free_calls: false,
    interp_cut: &[],
    interp_phrase: "variable interpolation in a double-quoted string",
    format_phrase: "sprintf",
    advice: "use a prepared statement: $stmt = $pdo->prepare(\"SELECT … WHERE id = ?\") (or :id); $stmt->execute([$id]); with pgsql use pg_query_params($conn, \"… WHERE id = $1\", [$id]); quote identifiers with pg_escape_identifier or a whitelist",
};
