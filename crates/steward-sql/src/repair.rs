//! Position-preserving repairs for valid SQL the parser does not accept as written.
//!
//! Each repair blanks out tokens the parser chokes on but the model does not need, so the
//! repaired text parses and its AST spans still point into the original file.

use crate::lex::{blank, lex, Lexeme};
use sqlparser::tokenizer::Token;
use steward_core::Dialect;

/// Repaired versions of `text` to try, most specific first. Empty when nothing applies.
pub fn candidates(text: &str, dialect: Dialect) -> Vec<String> {
    let Ok(tokens) = lex(text, dialect, false) else {
        return Vec::new();
    };
    let mut ranges = Vec::new();
    match dialect {
        Dialect::Postgres => {
            with_data_clause(&tokens, &mut ranges);
            trigger_function_arguments(&tokens, &mut ranges);
        }
        Dialect::Tsql => {
            trailing_comma(&tokens, &mut ranges);
            clustered_index(&tokens, &mut ranges);
        }
    }
    if ranges.is_empty() {
        Vec::new()
    } else {
        vec![blank(text, &ranges)]
    }
}

/// `CREATE MATERIALIZED VIEW … WITH [NO] DATA` / `CREATE TABLE … AS … WITH [NO] DATA`: the
/// clause only says whether to fill the view now.
fn with_data_clause(tokens: &[Lexeme], out: &mut Vec<std::ops::Range<usize>>) {
    if !tokens.first().is_some_and(|t| t.is_word("CREATE")) {
        return;
    }
    let n = tokens.len();
    let end = if tokens.last().is_some_and(|t| t.token == Token::SemiColon) {
        n - 1
    } else {
        n
    };
    if end >= 2 && tokens[end - 1].is_word("DATA") {
        if end >= 3 && tokens[end - 2].is_word("NO") && tokens[end - 3].is_word("WITH") {
            out.push(tokens[end - 3].range.start..tokens[end - 1].range.end);
        } else if tokens[end - 2].is_word("WITH") {
            out.push(tokens[end - 2].range.start..tokens[end - 1].range.end);
        }
    }
}

/// `CREATE TRIGGER … EXECUTE {FUNCTION|PROCEDURE} f('a', 'b')`: the parser expects argument
/// types there, but PostgreSQL passes literal strings to the trigger function.
fn trigger_function_arguments(tokens: &[Lexeme], out: &mut Vec<std::ops::Range<usize>>) {
    let is_trigger = tokens.first().is_some_and(|t| t.is_word("CREATE"))
        && tokens.iter().take(5).any(|t| t.is_word("TRIGGER"));
    if !is_trigger {
        return;
    }
    let Some(exec) = tokens.iter().position(|t| t.is_word("EXECUTE")) else {
        return;
    };
    let Some(open) = tokens[exec..]
        .iter()
        .position(|t| t.token == Token::LParen)
        .map(|p| p + exec)
    else {
        return;
    };
    let Some(close) = tokens[open..]
        .iter()
        .rposition(|t| t.token == Token::RParen)
        .map(|p| p + open)
    else {
        return;
    };
    if close > open + 1 {
        out.push(tokens[open + 1].range.start..tokens[close - 1].range.end);
    }
}

/// SQL Server accepts a trailing comma before the closing parenthesis of a column list.
fn trailing_comma(tokens: &[Lexeme], out: &mut Vec<std::ops::Range<usize>>) {
    for pair in tokens.windows(2) {
        if pair[0].token == Token::Comma && pair[1].token == Token::RParen {
            out.push(pair[0].range.clone());
        }
    }
}

/// `CREATE [UNIQUE] [NON]CLUSTERED INDEX`: the storage choice does not change what the index
/// covers.
fn clustered_index(tokens: &[Lexeme], out: &mut Vec<std::ops::Range<usize>>) {
    if !tokens.first().is_some_and(|t| t.is_word("CREATE")) {
        return;
    }
    for t in tokens.iter().take(4) {
        if t.is_word("CLUSTERED") || t.is_word("NONCLUSTERED") {
            out.push(t.range.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanks_with_no_data() {
        let sql = "CREATE MATERIALIZED VIEW v AS SELECT 1 WITH NO DATA;";
        let fixed = candidates(sql, Dialect::Postgres);
        assert_eq!(fixed[0].len(), sql.len());
        assert_eq!(fixed[0].split_whitespace().collect::<Vec<_>>().join(" "), "CREATE MATERIALIZED VIEW v AS SELECT 1 ;");
    }

    #[test]
    fn blanks_trigger_arguments() {
        let sql = "CREATE TRIGGER t BEFORE INSERT ON f FOR EACH ROW EXECUTE PROCEDURE g('a', 'b');";
        let fixed = candidates(sql, Dialect::Postgres);
        assert!(fixed[0].contains("g(        );"), "{}", fixed[0]);
    }

    #[test]
    fn tsql_trailing_comma_and_clustered() {
        let fixed = candidates("CREATE TABLE t (a int, )", Dialect::Tsql);
        assert_eq!(fixed[0], "CREATE TABLE t (a int  )");
        let fixed = candidates("CREATE UNIQUE NONCLUSTERED INDEX i ON t(a)", Dialect::Tsql);
        assert!(fixed[0].starts_with("CREATE UNIQUE              INDEX"));
    }
}
