//! Python: DB-API drivers (psycopg, pymysql, sqlite3), SQLAlchemy, Django, asyncpg, pandas.

use super::{FmtStyle, Form, FormatFn, Scope, Sink, Spec};
use crate::lex::{Backtick, Heredoc, Interp, Prefixes, SingleQuote, Syntax};

const SQLALCHEMY: &str = "bind values: session.execute(text(\"SELECT … WHERE id = :id\"), {\"id\": user_id}); for identifiers use sqlalchemy's quoted_name or a whitelist";
const ASYNCPG: &str = "pass values separately: await conn.fetch(\"SELECT … WHERE id = $1\", user_id); for identifiers use a whitelist or psycopg.sql.Identifier-style quoting";

pub(super) static SPEC: Spec = Spec {
    syntax: Syntax {
        line_comments: &["#"],
        block_comment: None,
        nested_comments: false,
        single_quote: SingleQuote::Str,
        double_interp: Interp::None,
        strings_span_lines: false,
        backtick: Backtick::None,
        prefixes: Prefixes::Python,
        triple_quotes: true,
        heredoc: Heredoc::None,
        regex_literals: false,
        percent_literals: false,
        ruby_extras: false,
        php_tags: false,
        dollar_idents: false,
    },
    sinks: &[
        // DB-API cursors and connections: `execute` on anything is almost always SQL in Python.
        Sink::method("execute", true),
        Sink::method("executemany", true),
        Sink::method("executescript", true),
        Sink::method("exec_driver_sql", true).advice(SQLALCHEMY),
        // pandas
        Sink::method("read_sql", true).form(Form::Any),
        Sink::method("read_sql_query", true).form(Form::Any),
        // Django `Model.objects.raw(…)`, SQLAlchemy `text(…)`: generic names, need SQL text.
        Sink::method("raw", false),
        Sink::method("text", false).form(Form::Any).advice(SQLALCHEMY),
        // asyncpg
        Sink::method("fetch", false).advice(ASYNCPG),
        Sink::method("fetchrow", false).advice(ASYNCPG),
        Sink::method("fetchval", false).advice(ASYNCPG),
    ],
    // psycopg.sql composes quoted identifiers and literals; numeric conversions cannot carry SQL.
    safe_calls: &[
        "SQL",
        "Identifier",
        "Literal",
        "Placeholder",
        "Composed",
        "quote_ident",
        "quote_literal",
        "int",
        "float",
        "len",
    ],
    format_fns: &[FormatFn::new(Some("str"), "format", FmtStyle::Brace)],
    literal_methods: &[("format", FmtStyle::Brace)],
    percent_format: true,
    concat_op: "+",
    append_ops: &["+="],
    append_methods: &[],
    transparent: &["strip", "lstrip", "rstrip"],
    newline_ends_statement: true,
    ternary: false,
    python_ternary: true,
    scope: Scope::Def,
    composite_literals: false,
    macros: false,
    paren_free_calls: false,
    interp_cut: &["!", ":"],
    interp_phrase: "an f-string",
    format_phrase: "%-formatting or str.format",
    advice: "pass values separately: cur.execute(\"SELECT … WHERE id = %s\", (user_id,)) (psycopg/pymysql use %s, sqlite3 uses ?); for table or column names use psycopg.sql.SQL(\"… {}\").format(sql.Identifier(name))",
};
