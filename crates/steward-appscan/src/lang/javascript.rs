//! JavaScript / TypeScript: node-postgres, mysql2, knex, sequelize, Prisma, postgres.js, sqlite.

use super::{FmtStyle, FormatFn, Scope, Sink, Spec};
use crate::lex::{Backtick, Heredoc, Interp, Prefixes, SingleQuote, Syntax};

const PRISMA: &str = "use the tagged template prisma.$queryRaw`SELECT … WHERE id = ${id}` (Prisma turns it into $1 parameters), or $queryRawUnsafe(\"… WHERE id = $1\", id); for identifiers use Prisma.raw only with a whitelist";
const KNEX: &str = "bind values: knex.raw(\"… WHERE id = ?\", [id]) / whereRaw(\"id = ?\", [id]); for identifiers use ?? bindings: knex.raw(\"SELECT * FROM ??\", [table])";

pub(super) static SPEC: Spec = Spec {
    syntax: Syntax {
        line_comments: &["//"],
        block_comment: Some(("/*", "*/")),
        nested_comments: false,
        single_quote: SingleQuote::Str,
        double_interp: Interp::None,
        strings_span_lines: false,
        backtick: Backtick::Template,
        prefixes: Prefixes::None,
        triple_quotes: false,
        heredoc: Heredoc::None,
        regex_literals: true,
        percent_literals: false,
        ruby_extras: false,
        php_tags: false,
        dollar_idents: true,
    },
    sinks: &[
        // Generic names: `client.query`, `pool.query`, `sequelize.query`, `db.execute`.
        Sink::method("query", false).form(super::Form::Any),
        Sink::method("execute", false),
        Sink::method("exec", false),
        Sink::method("prepare", false),
        Sink::method("raw", false).advice(KNEX),
        Sink::method("unsafe", false),
        // Unambiguous raw-SQL entry points.
        Sink::method("$queryRawUnsafe", true).advice(PRISMA),
        Sink::method("$executeRawUnsafe", true).advice(PRISMA),
        Sink::method("whereRaw", true).advice(KNEX),
        Sink::method("orWhereRaw", true).advice(KNEX),
        Sink::method("havingRaw", true).advice(KNEX),
        Sink::method("orderByRaw", true).advice(KNEX),
        Sink::method("groupByRaw", true).advice(KNEX),
        Sink::method("joinRaw", true).advice(KNEX),
    ],
    // pg-format's format('%I', t) and the drivers' escape helpers return quoted text.
    safe_calls: &[
        "escapeIdentifier",
        "escapeLiteral",
        "escapeId",
        "escape",
        "format",
        "ident",
        "literal",
        "Number",
        "parseInt",
        "parseFloat",
    ],
    format_fns: &[FormatFn::new(Some("util"), "format", FmtStyle::Printf)],
    literal_methods: &[],
    percent_format: false,
    concat_op: "+",
    append_ops: &["+="],
    append_methods: &[],
    transparent: &["trim", "toString"],
    newline_ends_statement: true,
    ternary: true,
    python_ternary: false,
    scope: Scope::Braces,
    composite_literals: false,
    macros: false,
    paren_free_calls: false,
    interp_cut: &[],
    interp_phrase: "a template literal",
    format_phrase: "util.format",
    advice: "pass values separately: client.query(\"SELECT … WHERE id = $1\", [userId]) (node-postgres uses $1, mysql2 uses ?); for identifiers use pg-format's format('%I', name) or client.escapeIdentifier(name)",
};
