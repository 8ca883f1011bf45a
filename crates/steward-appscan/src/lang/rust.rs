//! Rust: sqlx, tokio-postgres / postgres, rusqlite, diesel.

use super::{FmtStyle, Form, FormatFn, Scope, Sink, Spec};
use crate::lex::{Backtick, Heredoc, Interp, Prefixes, SingleQuote, Syntax};

const POSTGRES: &str = "pass values separately: client.query(\"SELECT … WHERE id = $1\", &[&id]); quote identifiers with postgres_protocol::escape::escape_identifier";
const RUSQLITE: &str = "pass values separately: conn.execute(\"… WHERE id = ?1\", params![id])";
const DIESEL: &str = "bind values: diesel::sql_query(\"SELECT … WHERE id = $1\").bind::<Integer, _>(id), or use the query builder";

pub(super) static SPEC: Spec = Spec {
    syntax: Syntax {
        line_comments: &["//"],
        block_comment: Some(("/*", "*/")),
        nested_comments: true,
        single_quote: SingleQuote::RustChar,
        double_interp: Interp::None,
        strings_span_lines: true,
        backtick: Backtick::None,
        prefixes: Prefixes::Rust,
        triple_quotes: false,
        heredoc: Heredoc::None,
        regex_literals: false,
        percent_literals: false,
        ruby_extras: false,
        php_tags: false,
        dollar_idents: false,
    },
    sinks: &[
        // sqlx free functions (`sqlx::query(…)` or imported); the `query!` macros are checked
        // at compile time and are not calls.
        Sink::method("query", false).form(Form::Any),
        Sink::method("query_as", true).form(Form::Any),
        Sink::method("query_scalar", true).form(Form::Any),
        Sink::method("query_with", true).form(Form::Any),
        Sink::method("query_as_with", true).form(Form::Any),
        Sink::method("raw_sql", true).form(Form::Any),
        Sink::method("execute", false),
        Sink::method("prepare", false),
        Sink::method("prepare_cached", false),
        // tokio-postgres / postgres
        Sink::method("query_one", true).advice(POSTGRES),
        Sink::method("query_opt", true).advice(POSTGRES),
        Sink::method("query_raw", true).advice(POSTGRES),
        Sink::method("batch_execute", true).advice(POSTGRES),
        Sink::method("simple_query", true).advice(POSTGRES),
        // rusqlite
        Sink::method("execute_batch", true).advice(RUSQLITE),
        Sink::method("query_row", true).advice(RUSQLITE),
        // diesel
        Sink::method("sql_query", true).form(Form::Any).advice(DIESEL),
    ],
    safe_calls: &["escape_identifier", "escape_literal", "quote_identifier"],
    format_fns: &[
        FormatFn {
            receiver: None,
            name: "format",
            bang: true,
            style: FmtStyle::RustFormat,
        },
        // `String::from(x)` is just `x`.
        FormatFn::new(Some("String"), "from", FmtStyle::Concat),
    ],
    literal_methods: &[],
    percent_format: false,
    concat_op: "+",
    append_ops: &["+="],
    append_methods: &["push_str"],
    transparent: &["as_str", "as_ref", "to_string", "to_owned", "into", "clone", "trim"],
    newline_ends_statement: false,
    ternary: false,
    python_ternary: false,
    scope: Scope::Braces,
    composite_literals: false,
    macros: true,
    paren_free_calls: false,
    interp_cut: &[],
    interp_phrase: "string interpolation",
    format_phrase: "format!",
    advice: "bind values: sqlx::query(\"SELECT … WHERE id = $1\").bind(id) (or the checked sqlx::query! macro); for identifiers use a whitelist or quote them with escape_identifier",
};
