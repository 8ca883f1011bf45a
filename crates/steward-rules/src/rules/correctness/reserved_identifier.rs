use super::defined::{defined_names, replace_ident};
use crate::prelude::*;

declare_rule! {
    /// Finds reserved words used as unquoted names, which the server rejects.
    ///
    /// ## What it does
    /// Reports a table, column, view, index, function or type whose name is an unquoted
    /// reserved keyword of the dialect: PostgreSQL's fully reserved keywords (`user`,
    /// `order`, `group`, `table`, `check`, `default`, `limit`, `window`, …; not the
    /// non-reserved ones or those that may name a function or type) and SQL Server's reserved
    /// keywords (`user`, `order`, `key`, `file`, `plan`, …). Quoted (`"user"`) and bracketed
    /// (`[user]`) names are accepted by the servers and not reported; in PostgreSQL a
    /// schema-qualified name (`public.user`) is accepted too.
    ///
    /// ## Why it matters
    /// steward's parser is lenient, but the server is not: `CREATE TABLE user (…)` fails with
    /// `syntax error at or near "user"`, so the migration breaks on deploy, often halfway
    /// through. Quoting it works, but then every query, ORM mapping and ad-hoc script has to
    /// quote it forever — and in PostgreSQL an unquoted `user` silently means `current_user`.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE user (id bigint PRIMARY KEY, group text);
    /// ```
    ///
    /// ## Fix
    /// Pick a name that is not a keyword:
    /// ```sql
    /// CREATE TABLE app_user (id bigint PRIMARY KEY, user_group text);
    /// ```
    pub struct ReservedIdentifier {
        id: "reserved-identifier",
        category: Correctness,
        severity: Error,
        dialects: [Postgres, Tsql],
        scope: Statement,
    }
}

impl Rule for ReservedIdentifier {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_statement(&self, ctx: &StatementCtx, out: &mut Vec<Diagnostic>) {
        let Some(ast) = ctx.statement.ast() else {
            return;
        };
        let dialect = ctx.dialect();
        for name in defined_names(ast, dialect) {
            let ident = name.ident;
            if ident.quote_style.is_some() || !is_reserved(&ident.value, dialect) {
                continue;
            }
            // PostgreSQL accepts any keyword after a dot (`public.user`).
            if dialect == Dialect::Postgres && !name.alone {
                continue;
            }
            let word = ident.value.to_lowercase();
            let suggestion = suggest(&word, name.kind);
            let quoted = match dialect {
                Dialect::Postgres => format!("\"{word}\""),
                Dialect::Tsql => format!("[{}]", ident.value),
            };
            let server = match dialect {
                Dialect::Postgres => "PostgreSQL",
                Dialect::Tsql => "SQL Server",
            };
            let mut d = ReservedIdentifier::META
                .diag(format!(
                    "{} name {} is a reserved keyword in {server}",
                    name.kind, ident.value
                ))
                .at(Some(ctx.statement.locate(ident.span)))
                .object(name.object)
                .help(format!(
                    "the server rejects the statement with a syntax error; rename it (e.g. {suggestion}), or write {quoted} here and in every query"
                ));
            if let Some(fix) = fix(ctx, ident, &suggestion) {
                d = d.fix(fix);
            }
            out.push(d);
        }
    }
}

/// The statement with the name replaced, when the word appears only once in it (otherwise
/// the other occurrences may be references or the keyword itself, and a blind rename would
/// be wrong).
fn fix(ctx: &StatementCtx, ident: &sqlparser::ast::Ident, suggestion: &str) -> Option<String> {
    let tokens = steward_sql::lex::lex(&ctx.statement.text, ctx.dialect(), false).ok()?;
    let occurrences = tokens.iter().filter(|t| t.is_word(&ident.value)).count();
    if occurrences != 1 {
        return None;
    }
    replace_ident(ctx.statement, ident, suggestion).map(|s| s.trim().to_string())
}

/// A replacement name that is not a keyword.
fn suggest(word: &str, kind: &str) -> String {
    let relation = matches!(kind, "table" | "view");
    match (word, relation) {
        ("user", true) => "app_user".into(),
        ("user", false) => "user_name".into(),
        ("order", true) => "orders".into(),
        ("order", false) => "sort_order".into(),
        ("group", true) => "groups".into(),
        ("group", false) => "group_name".into(),
        ("default", false) => "is_default".into(),
        ("key", false) => "key_name".into(),
        ("end", false) => "end_at".into(),
        ("offset", false) => "offset_value".into(),
        ("limit", false) => "limit_value".into(),
        (w, true) if !w.ends_with('s') => format!("{w}s"),
        (w, _) => match kind {
            "index" => format!("{w}_idx"),
            "function" | "procedure" => format!("do_{w}"),
            "type" | "domain" => format!("{w}_type"),
            _ => format!("{w}_value"),
        },
    }
}

/// Whether an unquoted word is reserved as a name in the dialect.
pub fn is_reserved(word: &str, dialect: Dialect) -> bool {
    let upper = word.to_ascii_uppercase();
    let list = match dialect {
        Dialect::Postgres => POSTGRES_RESERVED,
        Dialect::Tsql => TSQL_RESERVED,
    };
    list.binary_search(&upper.as_str()).is_ok()
}

/// PostgreSQL's fully reserved keywords (Appendix C "reserved", i.e. `RESERVED_KEYWORD` in
/// `kwlist.h`, PostgreSQL 16). The "reserved (can be function or type)" ones such as `LEFT`
/// or `COLLATION` and the non-reserved ones are valid table and column names. Sorted.
const POSTGRES_RESERVED: &[&str] = &[
    "ALL",
    "ANALYSE",
    "ANALYZE",
    "AND",
    "ANY",
    "ARRAY",
    "AS",
    "ASC",
    "ASYMMETRIC",
    "BOTH",
    "CASE",
    "CAST",
    "CHECK",
    "COLLATE",
    "COLUMN",
    "CONSTRAINT",
    "CREATE",
    "CURRENT_CATALOG",
    "CURRENT_DATE",
    "CURRENT_ROLE",
    "CURRENT_TIME",
    "CURRENT_TIMESTAMP",
    "CURRENT_USER",
    "DEFAULT",
    "DEFERRABLE",
    "DESC",
    "DISTINCT",
    "DO",
    "ELSE",
    "END",
    "EXCEPT",
    "FALSE",
    "FETCH",
    "FOR",
    "FOREIGN",
    "FROM",
    "GRANT",
    "GROUP",
    "HAVING",
    "IN",
    "INITIALLY",
    "INTERSECT",
    "INTO",
    "LATERAL",
    "LEADING",
    "LIMIT",
    "LOCALTIME",
    "LOCALTIMESTAMP",
    "NOT",
    "NULL",
    "OFFSET",
    "ON",
    "ONLY",
    "OR",
    "ORDER",
    "PLACING",
    "PRIMARY",
    "REFERENCES",
    "RETURNING",
    "SELECT",
    "SESSION_USER",
    "SOME",
    "SYMMETRIC",
    "SYSTEM_USER",
    "TABLE",
    "THEN",
    "TO",
    "TRAILING",
    "TRUE",
    "UNION",
    "UNIQUE",
    "USER",
    "USING",
    "VARIADIC",
    "WHEN",
    "WHERE",
    "WINDOW",
    "WITH",
];

/// SQL Server's reserved keywords ("Reserved Keywords (Transact-SQL)"): usable as names only
/// in `[brackets]` or `"quotes"`. Sorted.
const TSQL_RESERVED: &[&str] = &[
    "ADD",
    "ALL",
    "ALTER",
    "AND",
    "ANY",
    "AS",
    "ASC",
    "AUTHORIZATION",
    "BACKUP",
    "BEGIN",
    "BETWEEN",
    "BREAK",
    "BROWSE",
    "BULK",
    "BY",
    "CASCADE",
    "CASE",
    "CHECK",
    "CHECKPOINT",
    "CLOSE",
    "CLUSTERED",
    "COALESCE",
    "COLLATE",
    "COLUMN",
    "COMMIT",
    "COMPUTE",
    "CONSTRAINT",
    "CONTAINS",
    "CONTAINSTABLE",
    "CONTINUE",
    "CONVERT",
    "CREATE",
    "CROSS",
    "CURRENT",
    "CURRENT_DATE",
    "CURRENT_TIME",
    "CURRENT_TIMESTAMP",
    "CURRENT_USER",
    "CURSOR",
    "DATABASE",
    "DBCC",
    "DEALLOCATE",
    "DECLARE",
    "DEFAULT",
    "DELETE",
    "DENY",
    "DESC",
    "DISK",
    "DISTINCT",
    "DISTRIBUTED",
    "DOUBLE",
    "DROP",
    "DUMP",
    "ELSE",
    "END",
    "ERRLVL",
    "ESCAPE",
    "EXCEPT",
    "EXEC",
    "EXECUTE",
    "EXISTS",
    "EXIT",
    "EXTERNAL",
    "FETCH",
    "FILE",
    "FILLFACTOR",
    "FOR",
    "FOREIGN",
    "FREETEXT",
    "FREETEXTTABLE",
    "FROM",
    "FULL",
    "FUNCTION",
    "GOTO",
    "GRANT",
    "GROUP",
    "HAVING",
    "HOLDLOCK",
    "IDENTITY",
    "IDENTITYCOL",
    "IDENTITY_INSERT",
    "IF",
    "IN",
    "INDEX",
    "INNER",
    "INSERT",
    "INTERSECT",
    "INTO",
    "IS",
    "JOIN",
    "KEY",
    "KILL",
    "LEFT",
    "LIKE",
    "LINENO",
    "LOAD",
    "MERGE",
    "NATIONAL",
    "NOCHECK",
    "NONCLUSTERED",
    "NOT",
    "NULL",
    "NULLIF",
    "OF",
    "OFF",
    "OFFSETS",
    "ON",
    "OPEN",
    "OPENDATASOURCE",
    "OPENQUERY",
    "OPENROWSET",
    "OPENXML",
    "OPTION",
    "OR",
    "ORDER",
    "OUTER",
    "OVER",
    "PERCENT",
    "PIVOT",
    "PLAN",
    "PRECISION",
    "PRIMARY",
    "PRINT",
    "PROC",
    "PROCEDURE",
    "PUBLIC",
    "RAISERROR",
    "READ",
    "READTEXT",
    "RECONFIGURE",
    "REFERENCES",
    "REPLICATION",
    "RESTORE",
    "RESTRICT",
    "RETURN",
    "REVERT",
    "REVOKE",
    "RIGHT",
    "ROLLBACK",
    "ROWCOUNT",
    "ROWGUIDCOL",
    "RULE",
    "SAVE",
    "SCHEMA",
    "SECURITYAUDIT",
    "SELECT",
    "SEMANTICKEYPHRASETABLE",
    "SEMANTICSIMILARITYDETAILSTABLE",
    "SEMANTICSIMILARITYTABLE",
    "SESSION_USER",
    "SET",
    "SETUSER",
    "SHUTDOWN",
    "SOME",
    "STATISTICS",
    "SYSTEM_USER",
    "TABLE",
    "TABLESAMPLE",
    "TEXTSIZE",
    "THEN",
    "TO",
    "TOP",
    "TRAN",
    "TRANSACTION",
    "TRIGGER",
    "TRUNCATE",
    "TRY_CONVERT",
    "TSEQUAL",
    "UNION",
    "UNIQUE",
    "UNPIVOT",
    "UPDATE",
    "UPDATETEXT",
    "USE",
    "USER",
    "VALUES",
    "VARYING",
    "VIEW",
    "WAITFOR",
    "WHEN",
    "WHERE",
    "WHILE",
    "WITH",
    "WRITETEXT",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyword_tables_are_sorted() {
        for list in [POSTGRES_RESERVED, TSQL_RESERVED] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{:?}", list);
        }
    }

    #[test]
    fn only_fully_reserved_words_count() {
        assert!(is_reserved("user", Dialect::Postgres));
        assert!(is_reserved("Order", Dialect::Postgres));
        // Non-reserved, or "can be function or type" in PostgreSQL.
        for ok in ["name", "year", "left", "collation", "text", "key", "file"] {
            assert!(!is_reserved(ok, Dialect::Postgres), "{ok}");
        }
        assert!(is_reserved("key", Dialect::Tsql));
        assert!(!is_reserved("limit", Dialect::Tsql));
    }
}
