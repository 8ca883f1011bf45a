//! Layer (a): the read-only validator.
//!
//! The agent's text is parsed with sqlparser's PostgreSQL dialect; it must be exactly one
//! `SELECT` / `WITH` / `VALUES` / `TABLE` query, an `EXPLAIN` of one (without `ANALYZE` unless
//! allowed), or `SHOW`. The whole tree is then walked with sqlparser's [`Visitor`] — every
//! expression, relation and table factor wherever it sits (select list, `FROM`, joins, lateral
//! subqueries, CTEs, `ORDER BY`, windows, `CASE`, function arguments…) — and everything is
//! checked against allow-lists:
//!
//! - functions (plain, aggregate, window, set-returning in `FROM`) must be on [`FUNCTIONS`];
//!   an unknown function is refused by name. Only unqualified or `pg_catalog.`-qualified
//!   names count: `public.lower(…)` is someone's own function, whatever it is called;
//! - casts and typed literals must name a built-in type ([`TYPES`] or a type keyword);
//! - operators must be built-in (no `OPERATOR(schema.op)` but `pg_catalog`);
//! - expression and table-factor kinds are matched exhaustively: a kind not listed here
//!   (including kinds a future sqlparser adds) is refused.
//!
//! What passes is not the agent's text but sqlparser's rendering of the validated tree
//! ([`Validated::sql`]): whatever the server executes is exactly what was checked, so a
//! difference between how sqlparser and PostgreSQL read comments, quotes or escapes cannot
//! smuggle anything past the walk.

use sqlparser::ast::{
    BinaryOperator, DataType, Expr, ObjectName, ObjectNamePart, Query, SetExpr, Statement,
    TableFactor, UnaryOperator, Visit, Visitor,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use std::collections::HashSet;
use std::ops::ControlFlow;
use std::sync::OnceLock;

/// Why a text was refused. Messages name the construct, never echo literals.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("the text could not be parsed as PostgreSQL: {0}")]
    Parse(String),
    #[error("exactly one statement is allowed, found {0}")]
    StatementCount(usize),
    #[error("only SELECT, WITH, VALUES, TABLE, EXPLAIN and SHOW are allowed; `{0}` is not")]
    Statement(String),
    #[error(
        "EXPLAIN ANALYZE executes the query; this server was not started with --allow-analyze"
    )]
    ExplainAnalyze,
    #[error("EXPLAIN is allowed only of a query (SELECT, WITH, VALUES, TABLE)")]
    ExplainOfNonQuery,
    #[error("data-modifying statements are not allowed, also not inside WITH")]
    DataModifying,
    #[error("SELECT … INTO creates a table; not allowed")]
    SelectInto,
    #[error("FOR UPDATE/SHARE takes row locks; not allowed")]
    RowLocks,
    #[error("function `{0}` is not on the read-only allow-list")]
    Function(String),
    #[error("casts to `{0}` are not allowed (only built-in types)")]
    Type(String),
    #[error("operator `{0}` is not allowed (only built-in operators)")]
    Operator(String),
    #[error("{0} is not allowed in a read-only query")]
    Construct(&'static str),
}

/// A statement that passed every check.
#[derive(Debug, Clone)]
pub struct Validated {
    /// sqlparser's rendering of the checked tree: the text to execute.
    pub sql: String,
    pub kind: Kind,
}

/// What kind of statement passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Query,
    Explain,
    Show,
}

/// Options of the validator.
#[derive(Debug, Clone, Copy, Default)]
pub struct Policy {
    /// Allow `EXPLAIN ANALYZE` (it runs the query, still inside a read-only transaction).
    pub allow_analyze: bool,
}

/// Checks `text`; returns the statement to execute or why it was refused.
pub fn validate(text: &str, policy: Policy) -> Result<Validated, Refusal> {
    let statements = match table_statement(text) {
        Some(select) => Parser::parse_sql(&PostgreSqlDialect {}, &select),
        None => Parser::parse_sql(&PostgreSqlDialect {}, text),
    }
    .map_err(|e| Refusal::Parse(crate::redact::redact_message(&e.to_string())))?;
    let [statement] = statements.as_slice() else {
        return Err(Refusal::StatementCount(statements.len()));
    };
    let kind = match statement {
        Statement::Query(_) => Kind::Query,
        Statement::Explain {
            statement: inner,
            analyze,
            options,
            ..
        } => {
            let analyze_option = options.iter().flatten().any(|o| {
                let name = o.name.value.to_ascii_lowercase();
                name == "analyze" || name == "analyse"
            });
            if (*analyze || analyze_option) && !policy.allow_analyze {
                return Err(Refusal::ExplainAnalyze);
            }
            if !matches!(**inner, Statement::Query(_)) {
                return Err(Refusal::ExplainOfNonQuery);
            }
            Kind::Explain
        }
        Statement::ShowVariable { .. } => Kind::Show,
        other => return Err(Refusal::Statement(statement_keyword(other))),
    };
    let mut walker = Walker { statements: 0 };
    if let ControlFlow::Break(refusal) = statement.visit(&mut walker) {
        return Err(refusal);
    }
    Ok(Validated {
        sql: statement.to_string(),
        kind,
    })
}

/// `TABLE name` (which sqlparser does not read as a statement) as `SELECT * FROM name`,
/// which is what it means; the rewritten text is then parsed and checked like any other.
fn table_statement(text: &str) -> Option<String> {
    let trimmed = text.trim().trim_end_matches(';').trim_end();
    let (keyword, rest) = trimmed.split_at_checked(5)?;
    if !keyword.eq_ignore_ascii_case("table") || !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let mut parser = Parser::new(&PostgreSqlDialect {}).try_with_sql(rest).ok()?;
    let name = parser.parse_object_name(false).ok()?;
    if parser.peek_token().token != sqlparser::tokenizer::Token::EOF {
        return None;
    }
    Some(format!("SELECT * FROM {name}"))
}

/// The leading words of a refused statement, for the message (never its literals).
fn statement_keyword(statement: &Statement) -> String {
    let text = statement.to_string();
    let words: Vec<&str> = text
        .split_whitespace()
        .take_while(|w| w.chars().all(|c| c.is_ascii_alphabetic() || c == '_'))
        .take(2)
        .collect();
    if words.is_empty() {
        "this statement".to_string()
    } else {
        words.join(" ").to_ascii_uppercase()
    }
}

struct Walker {
    statements: usize,
}

type Flow = ControlFlow<Refusal>;

impl Visitor for Walker {
    type Break = Refusal;

    fn pre_visit_statement(&mut self, statement: &Statement) -> Flow {
        self.statements += 1;
        // The root was checked by `validate`; below it only EXPLAIN's query may appear. Any
        // other statement inside the tree is a data-modifying CTE or worse.
        match statement {
            _ if self.statements == 1 => ControlFlow::Continue(()),
            Statement::Query(_) if self.statements == 2 => ControlFlow::Continue(()),
            _ => ControlFlow::Break(Refusal::DataModifying),
        }
    }

    fn pre_visit_query(&mut self, query: &Query) -> Flow {
        if !query.locks.is_empty() {
            return ControlFlow::Break(Refusal::RowLocks);
        }
        if query.for_clause.is_some() {
            return ControlFlow::Break(Refusal::Construct("FOR XML/JSON/BROWSE"));
        }
        if query.settings.is_some() || query.format_clause.is_some() {
            return ControlFlow::Break(Refusal::Construct("SETTINGS/FORMAT"));
        }
        if !query.pipe_operators.is_empty() {
            return ControlFlow::Break(Refusal::Construct("pipe syntax"));
        }
        check_set_expr(&query.body)
    }

    fn pre_visit_relation(&mut self, relation: &ObjectName) -> Flow {
        if relation
            .0
            .iter()
            .any(|p| matches!(p, ObjectNamePart::Function(_)))
        {
            return ControlFlow::Break(Refusal::Construct("a computed object name"));
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> Flow {
        match factor {
            TableFactor::Table {
                name,
                args,
                with_hints,
                version,
                partitions,
                json_path,
                sample,
                index_directives,
                ..
            } => {
                if !with_hints.is_empty()
                    || version.is_some()
                    || !partitions.is_empty()
                    || json_path.is_some()
                    || !index_directives.is_empty()
                {
                    return ControlFlow::Break(Refusal::Construct("a table hint or modifier"));
                }
                if sample.is_some() {
                    // TABLESAMPLE names a sampling method, which is a function.
                    return ControlFlow::Break(Refusal::Construct("TABLESAMPLE"));
                }
                // `FROM f(…)` is a set-returning function call, parsed as a table with args.
                match args {
                    Some(_) => check_function(name),
                    None => ControlFlow::Continue(()),
                }
            }
            TableFactor::Function { name, .. } => check_function(name),
            // The expression (a function call) is visited and checked as an expression.
            TableFactor::TableFunction { .. }
            | TableFactor::Derived { sample: None, .. }
            | TableFactor::UNNEST { .. }
            | TableFactor::NestedJoin { .. } => ControlFlow::Continue(()),
            _ => ControlFlow::Break(Refusal::Construct("this kind of FROM item")),
        }
    }

    fn pre_visit_expr(&mut self, expr: &Expr) -> Flow {
        match expr {
            Expr::Function(f) => {
                if f.uses_odbc_syntax {
                    return ControlFlow::Break(Refusal::Construct("ODBC function syntax"));
                }
                check_function(&f.name)
            }
            Expr::Cast { data_type, .. } => check_type(data_type),
            Expr::TypedString(t) => check_type(&t.data_type),
            Expr::BinaryOp { op, .. } => check_binary(op),
            Expr::AnyOp { compare_op, .. } | Expr::AllOp { compare_op, .. } => {
                check_binary(compare_op)
            }
            Expr::UnaryOp { op, .. } => check_unary(op),
            // Built-in syntax: none of these can reach a user-defined function by name.
            Expr::Identifier(_)
            | Expr::CompoundIdentifier(_)
            | Expr::CompoundFieldAccess { .. }
            | Expr::JsonAccess { .. }
            | Expr::IsFalse(_)
            | Expr::IsNotFalse(_)
            | Expr::IsTrue(_)
            | Expr::IsNotTrue(_)
            | Expr::IsNull(_)
            | Expr::IsNotNull(_)
            | Expr::IsUnknown(_)
            | Expr::IsNotUnknown(_)
            | Expr::IsDistinctFrom(..)
            | Expr::IsNotDistinctFrom(..)
            | Expr::IsNormalized { .. }
            | Expr::In { .. }
            | Expr::Between { .. }
            | Expr::Like { .. }
            | Expr::ILike { .. }
            | Expr::SimilarTo { .. }
            | Expr::AtTimeZone { .. }
            | Expr::Extract { .. }
            | Expr::Ceil { .. }
            | Expr::Floor { .. }
            | Expr::Position { .. }
            | Expr::Substring { .. }
            | Expr::Trim { .. }
            | Expr::Overlay { .. }
            | Expr::Collate { .. }
            | Expr::Nested(_)
            | Expr::Value(_)
            | Expr::Case { .. }
            | Expr::Exists { .. }
            | Expr::Subquery(_)
            | Expr::GroupingSets(_)
            | Expr::Cube(_)
            | Expr::Rollup(_)
            | Expr::Tuple(_)
            | Expr::Array(_)
            | Expr::Interval(_)
            | Expr::Wildcard(_)
            | Expr::QualifiedWildcard(..) => ControlFlow::Continue(()),
            _ => ControlFlow::Break(Refusal::Construct("this kind of expression")),
        }
    }
}

fn check_set_expr(body: &SetExpr) -> Flow {
    match body {
        SetExpr::Select(select) => {
            if select.into.is_some() {
                return ControlFlow::Break(Refusal::SelectInto);
            }
            if !select.lateral_views.is_empty() || !select.connect_by.is_empty() {
                return ControlFlow::Break(Refusal::Construct("LATERAL VIEW / CONNECT BY"));
            }
            ControlFlow::Continue(())
        }
        SetExpr::SetOperation { left, right, .. } => {
            check_set_expr(left)?;
            check_set_expr(right)
        }
        // Nested queries are visited (and checked) on their own.
        SetExpr::Query(_) | SetExpr::Values(_) | SetExpr::Table(_) => ControlFlow::Continue(()),
        SetExpr::Insert(_) | SetExpr::Update(_) | SetExpr::Delete(_) | SetExpr::Merge(_) => {
            ControlFlow::Break(Refusal::DataModifying)
        }
        #[allow(unreachable_patterns)]
        _ => ControlFlow::Break(Refusal::Construct("this kind of query body")),
    }
}

/// An unqualified or `pg_catalog.`-qualified name, as PostgreSQL would fold it; `None` for a
/// name in any other schema.
fn builtin_name(name: &ObjectName) -> Option<String> {
    let mut parts = Vec::with_capacity(name.0.len());
    for part in &name.0 {
        let ObjectNamePart::Identifier(ident) = part else {
            return None;
        };
        // Unquoted names fold to lower case; quoted ones are taken as written, so
        // `"LOWER"(x)` is not `lower(x)`.
        parts.push(match ident.quote_style {
            None => ident.value.to_ascii_lowercase(),
            Some(_) => ident.value.clone(),
        });
    }
    match parts.as_slice() {
        [name] => Some(name.clone()),
        [schema, name] if schema == "pg_catalog" => Some(name.clone()),
        _ => None,
    }
}

fn display_name(name: &ObjectName) -> String {
    crate::redact::clip(&name.to_string(), 64)
}

fn check_function(name: &ObjectName) -> Flow {
    match builtin_name(name) {
        Some(n) if allowed_functions().contains(n.as_str()) => ControlFlow::Continue(()),
        _ => ControlFlow::Break(Refusal::Function(display_name(name))),
    }
}

fn check_type(data_type: &DataType) -> Flow {
    match data_type {
        DataType::Custom(name, _) => match builtin_name(name) {
            Some(n) if allowed_types().contains(n.as_str()) => ControlFlow::Continue(()),
            _ => ControlFlow::Break(Refusal::Type(display_name(name))),
        },
        DataType::Array(elem) => {
            use sqlparser::ast::ArrayElemTypeDef as E;
            match elem {
                E::None => ControlFlow::Continue(()),
                E::AngleBracket(t)
                | E::SquareBracket(t, _)
                | E::Parenthesis(t)
                | E::ParenthesisNotNull(t)
                | E::Qualified(t, _) => check_type(t),
            }
        }
        // A PostgreSQL type keyword (`int`, `text`, `timestamp with time zone`…): the grammar
        // or pg_catalog (searched first) resolves it to the built-in type.
        _ => ControlFlow::Continue(()),
    }
}

fn check_binary(op: &BinaryOperator) -> Flow {
    use BinaryOperator as B;
    match op {
        B::Custom(op) => ControlFlow::Break(Refusal::Operator(crate::redact::clip(op, 16))),
        B::PGCustomBinaryOperator(parts) => match parts.as_slice() {
            [schema, op] if schema == "pg_catalog" && BUILTIN_OPERATORS.contains(&op.as_str()) => {
                ControlFlow::Continue(())
            }
            _ => ControlFlow::Break(Refusal::Operator(crate::redact::clip(&parts.join("."), 32))),
        },
        // Dialect operators PostgreSQL does not have (it would reject them anyway).
        B::DuckIntegerDivide
        | B::MyIntegerDivide
        | B::Match
        | B::Regexp
        | B::Glob
        | B::Spaceship
        | B::Xor => ControlFlow::Break(Refusal::Operator(op.to_string())),
        _ => ControlFlow::Continue(()),
    }
}

fn check_unary(op: &UnaryOperator) -> Flow {
    match op {
        UnaryOperator::Hash | UnaryOperator::QuestionDash | UnaryOperator::QuestionPipe => {
            ControlFlow::Break(Refusal::Operator(op.to_string()))
        }
        _ => ControlFlow::Continue(()),
    }
}

/// Operators `OPERATOR(pg_catalog.op)` may name.
const BUILTIN_OPERATORS: &[&str] = &[
    "+", "-", "*", "/", "%", "^", "=", "<>", "!=", "<", ">", "<=", ">=", "||", "~", "~*", "!~",
    "!~*", "~~", "~~*", "!~~", "!~~*", "@>", "<@", "&&", "->", "->>", "#>", "#>>", "?", "?|", "?&",
    "@@", "&", "|", "#", "<<", ">>",
];

fn allowed_functions() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| FUNCTIONS.iter().copied().collect())
}

fn allowed_types() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| TYPES.iter().copied().collect())
}

/// Built-in functions with no side effects beyond computing a value: string, math,
/// date/time, aggregates, window, JSON, arrays, full-text, network, catalog look-ups. Not
/// here, on purpose: file and OS access (`pg_read_file`, `pg_ls_dir`, `lo_*`), anything that
/// runs SQL text (`query_to_xml`, `ts_stat`), settings (`set_config`), sequences (`nextval`,
/// `setval`), locks (`pg_advisory_*`), sleeping, signalling and administration
/// (`pg_terminate_backend`, `pg_reload_conf`, `pg_stat_reset`, replication slots), `dblink`,
/// `pg_notify`, transaction ids, and every user-defined function.
pub const FUNCTIONS: &[&str] = &[
    // comparison, conditional
    "coalesce",
    "nullif",
    "greatest",
    "least",
    "num_nonnulls",
    "num_nulls",
    // math
    "abs",
    "cbrt",
    "ceil",
    "ceiling",
    "degrees",
    "div",
    "exp",
    "factorial",
    "floor",
    "gcd",
    "lcm",
    "ln",
    "log",
    "log10",
    "min_scale",
    "mod",
    "pi",
    "power",
    "pow",
    "radians",
    "round",
    "scale",
    "sign",
    "sqrt",
    "trim_scale",
    "trunc",
    "width_bucket",
    "random",
    "random_normal",
    "acos",
    "acosd",
    "asin",
    "asind",
    "atan",
    "atand",
    "atan2",
    "atan2d",
    "cos",
    "cosd",
    "cot",
    "cotd",
    "sin",
    "sind",
    "tan",
    "tand",
    "sinh",
    "cosh",
    "tanh",
    "asinh",
    "acosh",
    "atanh",
    "erf",
    "erfc",
    // strings
    "ascii",
    "bit_length",
    "btrim",
    "char_length",
    "character_length",
    "chr",
    "concat",
    "concat_ws",
    "format",
    "initcap",
    "left",
    "length",
    "lower",
    "lpad",
    "ltrim",
    "md5",
    "normalize",
    "octet_length",
    "overlay",
    "position",
    "quote_ident",
    "quote_literal",
    "quote_nullable",
    "regexp_count",
    "regexp_instr",
    "regexp_like",
    "regexp_match",
    "regexp_matches",
    "regexp_replace",
    "regexp_split_to_array",
    "regexp_split_to_table",
    "regexp_substr",
    "repeat",
    "replace",
    "reverse",
    "right",
    "rpad",
    "rtrim",
    "split_part",
    "starts_with",
    "string_to_array",
    "string_to_table",
    "strpos",
    "substr",
    "substring",
    "to_ascii",
    "to_hex",
    "translate",
    "trim",
    "unistr",
    "upper",
    "casefold",
    "encode",
    "decode",
    "convert_from",
    "convert_to",
    "get_bit",
    "get_byte",
    "sha224",
    "sha256",
    "sha384",
    "sha512",
    "crc32",
    "crc32c",
    "bit_count",
    "to_char",
    "to_date",
    "to_number",
    "to_timestamp",
    "string_agg",
    "uuid_extract_timestamp",
    "uuid_extract_version",
    "gen_random_uuid",
    "uuidv4",
    "uuidv7",
    // date/time
    "age",
    "clock_timestamp",
    "current_date",
    "current_time",
    "current_timestamp",
    "date_add",
    "date_bin",
    "date_part",
    "date_subtract",
    "date_trunc",
    "extract",
    "isfinite",
    "justify_days",
    "justify_hours",
    "justify_interval",
    "localtime",
    "localtimestamp",
    "make_date",
    "make_interval",
    "make_time",
    "make_timestamp",
    "make_timestamptz",
    "now",
    "statement_timestamp",
    "timeofday",
    "transaction_timestamp",
    "timezone",
    "overlaps",
    // aggregates
    "array_agg",
    "avg",
    "bit_and",
    "bit_or",
    "bit_xor",
    "bool_and",
    "bool_or",
    "count",
    "every",
    "json_agg",
    "jsonb_agg",
    "json_object_agg",
    "jsonb_object_agg",
    "json_agg_strict",
    "jsonb_agg_strict",
    "json_object_agg_strict",
    "jsonb_object_agg_strict",
    "json_object_agg_unique",
    "jsonb_object_agg_unique",
    "json_arrayagg",
    "json_objectagg",
    "max",
    "min",
    "range_agg",
    "range_intersect_agg",
    "sum",
    "xmlagg",
    "any_value",
    "corr",
    "covar_pop",
    "covar_samp",
    "regr_avgx",
    "regr_avgy",
    "regr_count",
    "regr_intercept",
    "regr_r2",
    "regr_slope",
    "regr_sxx",
    "regr_sxy",
    "regr_syy",
    "stddev",
    "stddev_pop",
    "stddev_samp",
    "variance",
    "var_pop",
    "var_samp",
    "mode",
    "percentile_cont",
    "percentile_disc",
    "grouping",
    // window
    "row_number",
    "rank",
    "dense_rank",
    "percent_rank",
    "cume_dist",
    "ntile",
    "lag",
    "lead",
    "first_value",
    "last_value",
    "nth_value",
    // JSON
    "to_json",
    "to_jsonb",
    "array_to_json",
    "row_to_json",
    "json_build_array",
    "jsonb_build_array",
    "json_build_object",
    "jsonb_build_object",
    "json_object",
    "jsonb_object",
    "json_array_length",
    "jsonb_array_length",
    "json_each",
    "jsonb_each",
    "json_each_text",
    "jsonb_each_text",
    "json_extract_path",
    "jsonb_extract_path",
    "json_extract_path_text",
    "jsonb_extract_path_text",
    "json_object_keys",
    "jsonb_object_keys",
    "json_populate_record",
    "jsonb_populate_record",
    "json_populate_recordset",
    "jsonb_populate_recordset",
    "json_to_record",
    "jsonb_to_record",
    "json_to_recordset",
    "jsonb_to_recordset",
    "json_strip_nulls",
    "jsonb_strip_nulls",
    "jsonb_set",
    "jsonb_set_lax",
    "jsonb_insert",
    "jsonb_pretty",
    "json_typeof",
    "jsonb_typeof",
    "json_array_elements",
    "jsonb_array_elements",
    "json_array_elements_text",
    "jsonb_array_elements_text",
    "jsonb_path_exists",
    "jsonb_path_match",
    "jsonb_path_query",
    "jsonb_path_query_array",
    "jsonb_path_query_first",
    "json_scalar",
    "json_serialize",
    "json_array",
    "json",
    "json_exists",
    "json_query",
    "json_value",
    "jsonb_populate_record_valid",
    // arrays and ranges
    "array_append",
    "array_cat",
    "array_dims",
    "array_fill",
    "array_length",
    "array_lower",
    "array_ndims",
    "array_position",
    "array_positions",
    "array_prepend",
    "array_remove",
    "array_replace",
    "array_reverse",
    "array_sample",
    "array_shuffle",
    "array_sort",
    "array_to_string",
    "array_upper",
    "cardinality",
    "trim_array",
    "unnest",
    "generate_subscripts",
    "generate_series",
    "lower_inc",
    "upper_inc",
    "lower_inf",
    "upper_inf",
    "isempty",
    "range_merge",
    "int4range",
    "int8range",
    "numrange",
    "tsrange",
    "tstzrange",
    "daterange",
    "int4multirange",
    "int8multirange",
    "nummultirange",
    "tsmultirange",
    "tstzmultirange",
    "datemultirange",
    "multirange",
    // full text
    "to_tsvector",
    "to_tsquery",
    "plainto_tsquery",
    "phraseto_tsquery",
    "websearch_to_tsquery",
    "ts_rank",
    "ts_rank_cd",
    "ts_headline",
    "setweight",
    "strip",
    "numnode",
    "querytree",
    "array_to_tsvector",
    "tsvector_to_array",
    "ts_delete",
    "ts_filter",
    "ts_lexize",
    "get_current_ts_config",
    // network, uuid, misc values
    "abbrev",
    "broadcast",
    "family",
    "host",
    "hostmask",
    "inet_merge",
    "inet_same_family",
    "masklen",
    "netmask",
    "network",
    "set_masklen",
    "text",
    "macaddr8_set7bit",
    // session and catalog information (read-only look-ups)
    "current_user",
    "current_role",
    "session_user",
    "user",
    "current_catalog",
    "current_database",
    "current_schema",
    "current_schemas",
    "current_setting",
    "version",
    "pg_backend_pid",
    "inet_client_addr",
    "inet_client_port",
    "inet_server_addr",
    "inet_server_port",
    "pg_postmaster_start_time",
    "pg_conf_load_time",
    "pg_is_in_recovery",
    "pg_current_wal_lsn",
    "pg_last_wal_receive_lsn",
    "pg_last_wal_replay_lsn",
    "pg_last_xact_replay_timestamp",
    "pg_wal_lsn_diff",
    "pg_size_pretty",
    "pg_size_bytes",
    "pg_relation_size",
    "pg_total_relation_size",
    "pg_table_size",
    "pg_indexes_size",
    "pg_database_size",
    "pg_tablespace_size",
    "pg_column_size",
    "pg_relation_filenode",
    "pg_get_constraintdef",
    "pg_get_expr",
    "pg_get_functiondef",
    "pg_get_function_arguments",
    "pg_get_function_identity_arguments",
    "pg_get_function_result",
    "pg_get_indexdef",
    "pg_get_keywords",
    "pg_get_ruledef",
    "pg_get_serial_sequence",
    "pg_get_statisticsobjdef",
    "pg_get_triggerdef",
    "pg_get_userbyid",
    "pg_get_viewdef",
    "pg_index_column_has_property",
    "pg_index_has_property",
    "pg_indexam_has_property",
    "pg_options_to_table",
    "pg_table_is_visible",
    "pg_type_is_visible",
    "pg_function_is_visible",
    "pg_typeof",
    "pg_column_compression",
    "format_type",
    "obj_description",
    "col_description",
    "shobj_description",
    "to_regclass",
    "to_regtype",
    "to_regproc",
    "to_regprocedure",
    "to_regnamespace",
    "to_regrole",
    "to_regoper",
    "to_regtypemod",
    "has_any_column_privilege",
    "has_column_privilege",
    "has_database_privilege",
    "has_function_privilege",
    "has_schema_privilege",
    "has_sequence_privilege",
    "has_table_privilege",
    "has_type_privilege",
    "pg_has_role",
    "row_security_active",
    "pg_encoding_to_char",
    "pg_char_to_encoding",
    "pg_client_encoding",
    "pg_stat_get_numscans",
    "pg_jit_available",
    "pg_tablespace_location",
    "pg_partition_root",
    "pg_partition_tree",
    "pg_partition_ancestors",
    "pg_get_partkeydef",
    "pg_get_partition_constraintdef",
    "pg_blocking_pids",
    "pg_safe_snapshot_blocking_pids",
    "pg_input_is_valid",
    "pg_input_error_info",
    "txid_snapshot_xmin",
    "pg_visible_in_snapshot",
    "bool",
    "int4",
    "int8",
    "float8",
    "numeric",
];

/// Built-in type names a cast or typed literal may use, besides type keywords.
pub const TYPES: &[&str] = &[
    "int2",
    "int4",
    "int8",
    "float4",
    "float8",
    "numeric",
    "decimal",
    "text",
    "varchar",
    "bpchar",
    "char",
    "name",
    "bool",
    "boolean",
    "bytea",
    "date",
    "time",
    "timetz",
    "timestamp",
    "timestamptz",
    "interval",
    "json",
    "jsonb",
    "jsonpath",
    "uuid",
    "xml",
    "money",
    "inet",
    "cidr",
    "macaddr",
    "macaddr8",
    "bit",
    "varbit",
    "oid",
    "regclass",
    "regtype",
    "regproc",
    "regprocedure",
    "regnamespace",
    "regrole",
    "regoper",
    "regoperator",
    "regconfig",
    "regdictionary",
    "regcollation",
    "tsvector",
    "tsquery",
    "int4range",
    "int8range",
    "numrange",
    "tsrange",
    "tstzrange",
    "daterange",
    "int4multirange",
    "int8multirange",
    "nummultirange",
    "tsmultirange",
    "tstzmultirange",
    "datemultirange",
    "point",
    "line",
    "lseg",
    "box",
    "path",
    "polygon",
    "circle",
    "pg_lsn",
    "xid",
    "xid8",
    "cid",
    "tid",
    "smallint",
    "integer",
    "bigint",
    "real",
    "record",
    "unknown",
];
