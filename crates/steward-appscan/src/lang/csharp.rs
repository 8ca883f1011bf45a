//! C#: ADO.NET providers, Entity Framework Core, Dapper.

use super::{FmtStyle, Form, FormatFn, Scope, Sink, Spec};
use crate::lex::{Backtick, Heredoc, Interp, Prefixes, SingleQuote, Syntax};

const EF: &str = "use FromSqlInterpolated($\"… WHERE id = {id}\") / ExecuteSqlInterpolated (or FromSql/ExecuteSql in EF Core 7+), which turn interpolations into parameters; or FromSqlRaw(\"… WHERE id = {0}\", id)";
const DAPPER: &str =
    "pass values as parameters: conn.Query<T>(\"SELECT … WHERE id = @id\", new { id })";

const fn ctor(name: &'static str) -> Sink {
    Sink::method(name, true).form(Form::Constructor)
}

pub(super) static SPEC: Spec = Spec {
    syntax: Syntax {
        line_comments: &["//"],
        block_comment: Some(("/*", "*/")),
        nested_comments: false,
        single_quote: SingleQuote::Char,
        double_interp: Interp::None,
        strings_span_lines: false,
        backtick: Backtick::None,
        prefixes: Prefixes::CSharp,
        triple_quotes: false,
        heredoc: Heredoc::None,
        regex_literals: false,
        percent_literals: false,
        ruby_extras: false,
        php_tags: false,
        dollar_idents: false,
    },
    sinks: &[
        // ADO.NET commands and adapters take the SQL as the first constructor argument.
        ctor("SqlCommand"),
        ctor("NpgsqlCommand"),
        ctor("MySqlCommand"),
        ctor("SqliteCommand"),
        ctor("SQLiteCommand"),
        ctor("OracleCommand"),
        ctor("OleDbCommand"),
        ctor("OdbcCommand"),
        ctor("SqlDataAdapter"),
        ctor("NpgsqlDataAdapter"),
        ctor("MySqlDataAdapter"),
        Sink::method("CommandText", true).form(Form::Property),
        // EF Core raw APIs (the *Interpolated variants parameterise and are not sinks).
        Sink::method("ExecuteSqlRaw", true).advice(EF),
        Sink::method("ExecuteSqlRawAsync", true).advice(EF),
        Sink::method("FromSqlRaw", true).advice(EF),
        Sink::method("SqlQueryRaw", true).advice(EF),
        // Dapper extension methods: generic names, need SQL-looking text.
        Sink::method("Query", false).advice(DAPPER),
        Sink::method("QueryAsync", false).advice(DAPPER),
        Sink::method("QueryFirst", false).advice(DAPPER),
        Sink::method("QueryFirstAsync", false).advice(DAPPER),
        Sink::method("QueryFirstOrDefault", false).advice(DAPPER),
        Sink::method("QueryFirstOrDefaultAsync", false).advice(DAPPER),
        Sink::method("QuerySingle", false).advice(DAPPER),
        Sink::method("QuerySingleAsync", false).advice(DAPPER),
        Sink::method("QuerySingleOrDefault", false).advice(DAPPER),
        Sink::method("QuerySingleOrDefaultAsync", false).advice(DAPPER),
        Sink::method("QueryMultiple", false).advice(DAPPER),
        Sink::method("QueryMultipleAsync", false).advice(DAPPER),
        Sink::method("Execute", false).advice(DAPPER),
        Sink::method("ExecuteAsync", false).advice(DAPPER),
        Sink::method("ExecuteScalar", false).advice(DAPPER),
        Sink::method("ExecuteScalarAsync", false).advice(DAPPER),
        Sink::method("ExecuteReader", false).advice(DAPPER),
        Sink::method("ExecuteReaderAsync", false).advice(DAPPER),
    ],
    // `int.Parse(x)` and friends yield numbers; QuoteIdentifier quotes names; nameof is constant.
    safe_calls: &["QuoteIdentifier", "Parse", "ToInt32", "ToInt64", "nameof"],
    format_fns: &[
        FormatFn::new(Some("string"), "Format", FmtStyle::Brace),
        FormatFn::new(Some("String"), "Format", FmtStyle::Brace),
        FormatFn::new(Some("string"), "Concat", FmtStyle::Concat),
        FormatFn::new(Some("String"), "Concat", FmtStyle::Concat),
    ],
    literal_methods: &[],
    percent_format: false,
    concat_op: "+",
    append_ops: &["+="],
    append_methods: &["Append", "AppendLine"],
    transparent: &["ToString", "Trim"],
    newline_ends_statement: false,
    ternary: true,
    python_ternary: false,
    scope: Scope::Braces,
    composite_literals: false,
    macros: false,
    paren_free_calls: false,
    interp_cut: &[",", ":"],
    interp_phrase: "an interpolated string",
    format_phrase: "string.Format",
    advice: "use parameters: new NpgsqlCommand(\"SELECT … WHERE id = @id\", conn) with cmd.Parameters.AddWithValue(\"id\", id) (SqlCommand likewise); with EF Core use FromSqlInterpolated / ExecuteSqlInterpolated",
};
