//! What to do with a statement the parser rejects: recover an equivalent statement, recognise
//! valid SQL the parser lacks (accounted for, not analysed), or call it a parse error.
//!
//! The rule: valid SQL must never be reported as a parse error. A statement is a parse error
//! only when it is lexically broken (unterminated string or comment, unbalanced parentheses),
//! does not start like any command of the dialect, or (PostgreSQL) is a query or DML
//! statement, where the parser's coverage is good enough that a failure means a real mistake.

use crate::lex::{lex, Lexeme};
use crate::parse::parse_raw;
use sqlparser::tokenizer::Token;
use steward_core::statement::Parsed;
use steward_core::Dialect;

/// Decides what a statement that failed to parse is. `Err` carries the parse-error message.
pub fn recover(text: &str, dialect: Dialect, parser_error: String) -> Result<Parsed, String> {
    let tokens = lex(text, dialect, false).map_err(|e| format!("cannot read statement: {e}"))?;
    check_balanced(&tokens)?;
    let words: Vec<String> = tokens.iter().take(8).map_while(Lexeme::word).collect();
    let all_words: Vec<String> = tokens.iter().filter_map(Lexeme::word).collect();
    if dialect == Dialect::Tsql {
        if let Some(parsed) = tsql_default_constraint(text, &tokens) {
            return Ok(parsed);
        }
    }
    let Some(kind) = command_kind(&words, dialect) else {
        return Err(parser_error);
    };
    if dialect == Dialect::Postgres && kind == "TABLE" {
        if let Some(parsed) = table_command(text, &tokens) {
            return Ok(parsed);
        }
    }
    if dialect == Dialect::Postgres && is_query_or_dml(&kind) {
        // Queries are an error unless they use a construct the parser is known to lack.
        return match unsupported_query_construct(&tokens) {
            Some(construct) => Ok(Parsed::Recognised {
                kind: format!("{kind} with {construct}"),
                analysed: false,
            }),
            None => Err(parser_error),
        };
    }
    Ok(Parsed::Recognised {
        analysed: nothing_lost(&kind, &all_words),
        kind,
    })
}

/// Whether a recognised statement carries nothing the model needs, so it counts as analysed.
/// `words` are all the unquoted words of the statement.
fn nothing_lost(kind: &str, words: &[String]) -> bool {
    let has = |w: &str| words.iter().any(|x| x == w);
    let owner_change = words.windows(2).any(|w| w[0] == "OWNER" && w[1] == "TO");
    // ALTER TABLE/INDEX forms that tune storage or statistics change nothing in the model.
    let tuning = matches!(kind, "ALTER TABLE" | "ALTER INDEX")
        && [
            "STATISTICS",
            "STORAGE",
            "COMPRESSION",
            "CLUSTER",
            "FILLFACTOR",
            "TABLESPACE",
        ]
        .iter()
        .any(|w| has(w))
        && ![
            "ADD", "DROP", "RENAME", "TYPE", "VALIDATE", "ATTACH", "DETACH", "INHERIT",
        ]
        .iter()
        .any(|w| has(w));
    // T-SQL blocks that only touch databases (chinook's `IF EXISTS … DROP DATABASE`).
    let database_only = kind == "IF"
        && has("DATABASE")
        && ![
            "TABLE",
            "INDEX",
            "VIEW",
            "PROCEDURE",
            "PROC",
            "FUNCTION",
            "TRIGGER",
            "GRANT",
            "USER",
            "LOGIN",
            "ROLE",
            "INSERT",
            "UPDATE",
            "DELETE",
        ]
        .iter()
        .any(|w| has(w));
    owner_change
        || tuning
        || database_only
        || matches!(
            kind,
            "CREATE LANGUAGE"
                | "ALTER LANGUAGE"
                | "CHECKPOINT"
                | "VACUUM"
                | "ANALYZE"
                | "REINDEX"
                | "CLUSTER"
                | "LOAD"
                | "DISCARD"
                | "USE"
                | "PRINT"
                | "SECURITY LABEL"
                | "CREATE DATABASE"
                | "ALTER DATABASE"
                | "DROP DATABASE"
                | "ALTER SYSTEM"
                | "CREATE STATISTICS"
                | "CREATE PUBLICATION"
                | "CREATE EVENT"
                | "DO"
        )
}

/// Valid query syntax the parser does not support, by its leading tokens.
fn unsupported_query_construct(tokens: &[Lexeme]) -> Option<&'static str> {
    tokens.windows(3).find_map(|w| {
        let is = |i: usize, word: &str| w[i].is_word(word);
        if is(0, "ROWS") && is(1, "FROM") && w[2].token == Token::LParen {
            Some("ROWS FROM")
        } else if is(0, "SEARCH") && (is(1, "DEPTH") || is(1, "BREADTH")) && is(2, "FIRST") {
            Some("SEARCH … FIRST BY")
        } else if is(0, "CYCLE") && matches!(w[1].token, Token::Word(_)) {
            Some("CYCLE")
        } else if is(0, "CURRENT") && is(1, "OF") {
            Some("WHERE CURRENT OF")
        } else if (is(0, "XMLTABLE") || is(0, "JSON_TABLE")) && w[1].token == Token::LParen {
            Some("a table function")
        } else {
            None
        }
    })
}

/// `TABLE name` is `SELECT * FROM name`.
fn table_command(text: &str, tokens: &[Lexeme]) -> Option<Parsed> {
    let name = &text[tokens.get(1)?.range.start..tokens.last()?.range.end];
    let name = name.trim_end_matches(';').trim();
    let mut statements = parse_raw(&format!("SELECT * FROM {name}"), Dialect::Postgres).ok()?;
    (statements.len() == 1).then(|| Parsed::Rewritten {
        kind: "TABLE".into(),
        ast: Box::new(statements.remove(0)),
    })
}

fn is_query_or_dml(kind: &str) -> bool {
    matches!(
        kind,
        "SELECT" | "INSERT" | "UPDATE" | "DELETE" | "WITH" | "VALUES" | "MERGE" | "TABLE"
    )
}

fn check_balanced(tokens: &[Lexeme]) -> Result<(), String> {
    let mut depth: i64 = 0;
    for t in tokens {
        match t.token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth -= 1;
                if depth < 0 {
                    return Err("unbalanced parentheses: `)` without a matching `(`".into());
                }
            }
            _ => {}
        }
    }
    if depth > 0 {
        return Err(format!("unbalanced parentheses: {depth} `(` not closed"));
    }
    Ok(())
}

/// Names the command a statement starts with, e.g. `ALTER DOMAIN`, or `None` when the words
/// are not a command of the dialect.
pub fn command_kind(words: &[String], dialect: Dialect) -> Option<String> {
    let first = words.first()?.as_str();
    let simple = match dialect {
        Dialect::Postgres => PG_COMMANDS,
        Dialect::Tsql => TSQL_COMMANDS,
    };
    if matches!(first, "CREATE" | "ALTER" | "DROP" | "COMMENT" | "SECURITY") {
        let objects = match dialect {
            Dialect::Postgres => PG_OBJECTS,
            Dialect::Tsql => TSQL_OBJECTS,
        };
        // Skip modifiers: CREATE OR REPLACE TRUSTED PROCEDURAL LANGUAGE, CREATE UNIQUE INDEX…
        let object = words[1..]
            .iter()
            .map(String::as_str)
            .find(|w| !MODIFIERS.contains(w))?;
        if first == "COMMENT" || first == "SECURITY" {
            return (object == "ON" || object == "LABEL").then(|| {
                if first == "COMMENT" {
                    "COMMENT".to_string()
                } else {
                    "SECURITY LABEL".to_string()
                }
            });
        }
        let object = match object {
            "PROCEDURAL" | "TRUSTED" => "LANGUAGE",
            "PROC" => "PROCEDURE",
            o => o,
        };
        return objects
            .contains(&object)
            .then(|| format!("{first} {object}"));
    }
    simple.contains(&first).then(|| first.to_string())
}

const MODIFIERS: &[&str] = [
    "OR",
    "REPLACE",
    "ALTER",
    "UNIQUE",
    "TEMP",
    "TEMPORARY",
    "UNLOGGED",
    "GLOBAL",
    "LOCAL",
    "RECURSIVE",
    "CONSTRAINT",
    "DEFAULT",
    "PROCEDURAL",
    "TRUSTED",
    "CLUSTERED",
    "NONCLUSTERED",
    "IF",
    "NOT",
    "EXISTS",
    "PRIMARY",
    "COLUMNSTORE",
    "FULLTEXT",
    "SPATIAL",
    "XML",
]
.as_slice();

/// PostgreSQL commands other than CREATE/ALTER/DROP (from the SQL Commands reference).
const PG_COMMANDS: &[&str] = &[
    "ABORT",
    "ANALYZE",
    "ANALYSE",
    "BEGIN",
    "CALL",
    "CHECKPOINT",
    "CLOSE",
    "CLUSTER",
    "COMMIT",
    "COPY",
    "DEALLOCATE",
    "DECLARE",
    "DELETE",
    "DISCARD",
    "DO",
    "END",
    "EXECUTE",
    "EXPLAIN",
    "FETCH",
    "GRANT",
    "IMPORT",
    "INSERT",
    "LISTEN",
    "LOAD",
    "LOCK",
    "MERGE",
    "MOVE",
    "NOTIFY",
    "PREPARE",
    "REASSIGN",
    "REFRESH",
    "REINDEX",
    "RELEASE",
    "RESET",
    "REVOKE",
    "ROLLBACK",
    "SAVEPOINT",
    "SELECT",
    "SET",
    "SHOW",
    "START",
    "TABLE",
    "TRUNCATE",
    "UNLISTEN",
    "UPDATE",
    "VACUUM",
    "VALUES",
    "WITH",
];

/// Objects PostgreSQL can CREATE/ALTER/DROP.
const PG_OBJECTS: &[&str] = &[
    "ACCESS",
    "AGGREGATE",
    "CAST",
    "COLLATION",
    "CONVERSION",
    "DATABASE",
    "DOMAIN",
    "EVENT",
    "EXTENSION",
    "FOREIGN",
    "FUNCTION",
    "GROUP",
    "INDEX",
    "LANGUAGE",
    "LARGE",
    "MATERIALIZED",
    "OPERATOR",
    "OWNED",
    "POLICY",
    "PROCEDURE",
    "PUBLICATION",
    "ROLE",
    "ROUTINE",
    "RULE",
    "SCHEMA",
    "SEQUENCE",
    "SERVER",
    "STATISTICS",
    "SUBSCRIPTION",
    "SYSTEM",
    "TABLE",
    "TABLESPACE",
    "TEXT",
    "TRANSFORM",
    "TRIGGER",
    "TYPE",
    "USER",
    "VIEW",
    "DEFAULT",
    "PRIVILEGES",
];

/// T-SQL statements other than CREATE/ALTER/DROP.
const TSQL_COMMANDS: &[&str] = &[
    "ADD",
    "BACKUP",
    "BEGIN",
    "BREAK",
    "BULK",
    "CHECKPOINT",
    "CLOSE",
    "COMMIT",
    "CONTINUE",
    "DBCC",
    "DEALLOCATE",
    "DECLARE",
    "DELETE",
    "DENY",
    "DISABLE",
    "ENABLE",
    "END",
    "EXEC",
    "EXECUTE",
    "FETCH",
    "GOTO",
    "GRANT",
    "IF",
    "INSERT",
    "KILL",
    "MERGE",
    "OPEN",
    "PRINT",
    "RAISERROR",
    "READTEXT",
    "RECONFIGURE",
    "RESTORE",
    "RETURN",
    "REVERT",
    "REVOKE",
    "ROLLBACK",
    "SAVE",
    "SELECT",
    "SET",
    "SETUSER",
    "SHUTDOWN",
    "THROW",
    "TRUNCATE",
    "UPDATE",
    "UPDATETEXT",
    "USE",
    "WAITFOR",
    "WHILE",
    "WITH",
    "WRITETEXT",
];

const TSQL_OBJECTS: &[&str] = &[
    "AGGREGATE",
    "APPLICATION",
    "ASSEMBLY",
    "ASYMMETRIC",
    "AUTHORIZATION",
    "AVAILABILITY",
    "CERTIFICATE",
    "COLUMN",
    "CONTRACT",
    "CREDENTIAL",
    "CRYPTOGRAPHIC",
    "DATABASE",
    "DEFAULT",
    "ENDPOINT",
    "EVENT",
    "EXTERNAL",
    "FULLTEXT",
    "FUNCTION",
    "INDEX",
    "LOGIN",
    "MASTER",
    "MESSAGE",
    "PARTITION",
    "PROCEDURE",
    "QUEUE",
    "REMOTE",
    "RESOURCE",
    "ROLE",
    "ROUTE",
    "RULE",
    "SCHEMA",
    "SEARCH",
    "SECURITY",
    "SEQUENCE",
    "SERVER",
    "SERVICE",
    "STATISTICS",
    "SYMMETRIC",
    "SYNONYM",
    "TABLE",
    "TRIGGER",
    "TYPE",
    "USER",
    "VIEW",
    "WORKLOAD",
    "XML",
];

/// T-SQL `ALTER TABLE t ADD [CONSTRAINT n] DEFAULT (expr) FOR col`: recovered as the
/// equivalent `ALTER TABLE t ALTER COLUMN col SET DEFAULT expr`, so the model learns the
/// default.
fn tsql_default_constraint(text: &str, tokens: &[Lexeme]) -> Option<Parsed> {
    if !(tokens.first()?.is_word("ALTER") && tokens.get(1)?.is_word("TABLE")) {
        return None;
    }
    let add = tokens.iter().position(|t| t.is_word("ADD"))?;
    let default = tokens[add..].iter().position(|t| t.is_word("DEFAULT"))? + add;
    let for_kw = tokens[default..].iter().rposition(|t| t.is_word("FOR"))? + default;
    let column = tokens.get(for_kw + 1)?;
    let table = &text[tokens[2].range.start..tokens[add - 1].range.end];
    let expression = &text[tokens.get(default + 1)?.range.start..tokens[for_kw - 1].range.end];
    let column = &text[column.range.clone()];
    let equivalent = format!("ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT {expression}");
    let mut statements = parse_raw(&equivalent, Dialect::Tsql).ok()?;
    (statements.len() == 1).then(|| Parsed::Rewritten {
        kind: "ALTER TABLE ADD DEFAULT".into(),
        ast: Box::new(statements.remove(0)),
    })
}

/// Byte offsets where T-SQL statements start in a piece with no semicolons: lines that begin
/// with a statement keyword outside parentheses and `BEGIN … END` blocks. Routine bodies
/// (CREATE PROCEDURE/FUNCTION/TRIGGER/VIEW run to the end of their batch) are never cut.
pub fn tsql_statement_starts(text: &str) -> Vec<usize> {
    let Ok(tokens) = lex(text, Dialect::Tsql, true) else {
        return Vec::new();
    };
    let significant: Vec<&Lexeme> = tokens.iter().filter(|t| !t.is_trivia()).collect();
    let words: Vec<String> = significant.iter().take(6).map_while(|t| t.word()).collect();
    let routine = words.first().is_some_and(|w| w == "CREATE" || w == "ALTER")
        && words.iter().skip(1).take(3).any(|w| {
            matches!(
                w.as_str(),
                "PROC" | "PROCEDURE" | "FUNCTION" | "TRIGGER" | "VIEW"
            )
        });
    if routine {
        return Vec::new();
    }
    let mut starts = Vec::new();
    let mut paren = 0i64;
    let mut block = 0i64;
    let mut at_line_start = true;
    let mut first = true;
    for t in &tokens {
        match &t.token {
            Token::Whitespace(w) => {
                if w.to_string().contains('\n') {
                    at_line_start = true;
                }
                continue;
            }
            Token::LParen => paren += 1,
            Token::RParen => paren -= 1,
            _ => {}
        }
        if let Some(word) = t.word() {
            if (first || (at_line_start && paren == 0 && block == 0))
                && TSQL_LINE_STARTERS.contains(&word.as_str())
            {
                starts.push(t.range.start);
            }
            match word.as_str() {
                "BEGIN" | "CASE" => block += 1,
                "END" => block -= 1,
                _ => {}
            }
        }
        first = false;
        at_line_start = false;
    }
    starts
}

/// Keywords that can only start a statement when they begin a line (not SELECT/SET/WITH,
/// which continue INSERT … SELECT and UPDATE … SET).
const TSQL_LINE_STARTERS: &[&str] = &[
    "CREATE",
    "ALTER",
    "DROP",
    "INSERT",
    "DELETE",
    "EXEC",
    "EXECUTE",
    "DECLARE",
    "PRINT",
    "USE",
    "GRANT",
    "REVOKE",
    "DENY",
    "TRUNCATE",
    "IF",
    "WHILE",
    "RAISERROR",
    "THROW",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(sql: &str, dialect: Dialect) -> Result<Parsed, String> {
        recover(sql, dialect, "parser said no".into())
    }

    #[test]
    fn valid_postgres_the_parser_lacks_is_recognised() {
        for sql in [
            "ALTER DOMAIN public.year OWNER TO postgres;",
            "ALTER PROCEDURAL LANGUAGE plpgsql OWNER TO postgres;",
            "CREATE OR REPLACE PROCEDURAL LANGUAGE plpgsql;",
            "DO $$ BEGIN PERFORM 1; END $$;",
            "REINDEX (VERBOSE) TABLE t;",
        ] {
            assert!(
                matches!(kind(sql, Dialect::Postgres), Ok(Parsed::Recognised { .. })),
                "{sql}"
            );
        }
    }

    #[test]
    fn broken_sql_is_a_parse_error() {
        assert!(kind("CREAT TABLE t (a int);", Dialect::Postgres).is_err());
        assert!(kind("CREATE TABLE t (a int;", Dialect::Postgres).is_err());
        assert!(kind("SELECT FROM WHERE;", Dialect::Postgres).is_err());
        assert!(kind("SELECT 'abc", Dialect::Postgres).is_err());
    }

    #[test]
    fn tsql_default_for_is_recovered() {
        let parsed = kind(
            "ALTER TABLE actor ADD CONSTRAINT [DF_x] DEFAULT (getdate()) FOR last_update",
            Dialect::Tsql,
        );
        assert!(matches!(parsed, Ok(Parsed::Rewritten { .. })), "{parsed:?}");
    }

    #[test]
    fn tsql_cuts_at_statement_lines_but_not_in_routines() {
        let sql = "CREATE TABLE a (x int)\nCREATE INDEX i ON a(x)\nINSERT INTO a\nSELECT 1";
        assert_eq!(tsql_statement_starts(sql).len(), 3);
        let proc = "CREATE PROCEDURE p AS\nINSERT INTO a VALUES (1)\nDELETE FROM a";
        assert!(tsql_statement_starts(proc).is_empty());
    }
}
