//! Java: JDBC, Spring JdbcTemplate, JPA / Hibernate, Jdbi.

use super::{FmtStyle, FormatFn, Scope, Sink, Spec};
use crate::lex::{Backtick, Heredoc, Interp, Prefixes, SingleQuote, Syntax};

const JPA: &str = "use named parameters: em.createQuery(\"SELECT u FROM User u WHERE u.name = :name\").setParameter(\"name\", name) (native queries: ?1 or :name the same way)";
const SPRING: &str = "pass values as arguments: jdbcTemplate.query(\"SELECT … WHERE id = ?\", rowMapper, id) or use NamedParameterJdbcTemplate with :id";

pub(super) static SPEC: Spec = Spec {
    syntax: Syntax {
        line_comments: &["//"],
        block_comment: Some(("/*", "*/")),
        nested_comments: false,
        single_quote: SingleQuote::Char,
        double_interp: Interp::None,
        strings_span_lines: false,
        backtick: Backtick::None,
        prefixes: Prefixes::None,
        // Text blocks.
        triple_quotes: true,
        heredoc: Heredoc::None,
        regex_literals: false,
        percent_literals: false,
        ruby_extras: false,
        php_tags: false,
        dollar_idents: false,
    },
    sinks: &[
        // JDBC Statement / Connection.
        Sink::method("executeQuery", true),
        Sink::method("executeUpdate", true),
        Sink::method("executeLargeUpdate", true),
        Sink::method("addBatch", true),
        Sink::method("prepareStatement", true),
        Sink::method("prepareCall", true),
        Sink::method("execute", false),
        // JPA / Hibernate / Jdbi.
        Sink::method("createQuery", true).advice(JPA),
        Sink::method("createNativeQuery", true).advice(JPA),
        Sink::method("createSQLQuery", true).advice(JPA),
        Sink::method("createUpdate", true),
        // Spring JdbcTemplate.
        Sink::method("query", false).advice(SPRING),
        Sink::method("update", false).advice(SPRING),
        Sink::method("queryForObject", true).advice(SPRING),
        Sink::method("queryForList", true).advice(SPRING),
        Sink::method("queryForMap", true).advice(SPRING),
        Sink::method("queryForRowSet", true).advice(SPRING),
        Sink::method("queryForStream", true).advice(SPRING),
        Sink::method("batchUpdate", true).advice(SPRING),
    ],
    safe_calls: &[
        "enquoteIdentifier",
        "enquoteLiteral",
        "quoteIdentifier",
        "parseInt",
        "parseLong",
        "parseDouble",
    ],
    format_fns: &[
        FormatFn::new(Some("String"), "format", FmtStyle::Printf),
        FormatFn::new(Some("MessageFormat"), "format", FmtStyle::Brace),
        // `String.valueOf(x)` is just `x`.
        FormatFn::new(Some("String"), "valueOf", FmtStyle::Concat),
    ],
    literal_methods: &[("formatted", FmtStyle::Printf)],
    percent_format: false,
    concat_op: "+",
    append_ops: &["+="],
    append_methods: &["append"],
    transparent: &["toString", "trim", "strip", "intern"],
    newline_ends_statement: false,
    ternary: true,
    python_ternary: false,
    scope: Scope::Braces,
    composite_literals: false,
    macros: false,
    paren_free_calls: false,
    interp_cut: &[],
    interp_phrase: "string interpolation",
    format_phrase: "String.format",
    advice: "use a PreparedStatement: conn.prepareStatement(\"SELECT … WHERE id = ?\") then ps.setLong(1, id); for identifiers use Statement.enquoteIdentifier(name, true) or a whitelist",
};
