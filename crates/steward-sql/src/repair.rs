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
            query_modifiers(&tokens, &mut ranges);
        }
        Dialect::Tsql => {
            trailing_comma(&tokens, &mut ranges);
            clustered_index(&tokens, &mut ranges);
            procedure_parameters(&tokens, &mut ranges);
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

/// Query clauses that change locking or framing details the rules do not look at:
/// `FOR NO KEY UPDATE` / `FOR KEY SHARE` (row lock strength), `BETWEEN SYMMETRIC`, and window
/// frame `EXCLUDE CURRENT ROW | GROUP | TIES | NO OTHERS`.
fn query_modifiers(tokens: &[Lexeme], out: &mut Vec<std::ops::Range<usize>>) {
    for (i, t) in tokens.iter().enumerate() {
        let next = |k: usize| tokens.get(i + k);
        if t.is_word("FOR") {
            if next(1).is_some_and(|n| n.is_word("NO")) && next(2).is_some_and(|n| n.is_word("KEY")) {
                if let (Some(a), Some(b)) = (next(1), next(2)) {
                    out.push(a.range.start..b.range.end);
                }
            } else if next(1).is_some_and(|n| n.is_word("KEY")) && next(2).is_some_and(|n| n.is_word("SHARE")) {
                if let Some(k) = next(1) {
                    out.push(k.range.clone());
                }
            }
        } else if t.is_word("BETWEEN") {
            if let Some(n) = next(1).filter(|n| n.is_word("SYMMETRIC") || n.is_word("ASYMMETRIC")) {
                out.push(n.range.clone());
            }
        } else if t.is_word("EXCLUDE") {
            let words = match (next(1), next(2)) {
                (Some(a), Some(b)) if (a.is_word("CURRENT") && b.is_word("ROW")) || (a.is_word("NO") && b.is_word("OTHERS")) => 2,
                (Some(a), _) if a.is_word("GROUP") || a.is_word("TIES") => 1,
                _ => 0,
            };
            if let Some(last) = (words > 0).then(|| next(words)).flatten() {
                out.push(t.range.start..last.range.end);
            }
        }
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

/// `CREATE PROCEDURE p @a int, @b int = 0 OUTPUT AS …`: the parser wants the parameters in
/// parentheses. The model does not need them, so they are blanked up to `AS`.
fn procedure_parameters(tokens: &[Lexeme], out: &mut Vec<std::ops::Range<usize>>) {
    let mut i = 0;
    if !tokens.first().is_some_and(|t| t.is_word("CREATE") || t.is_word("ALTER")) {
        return;
    }
    i += 1;
    if tokens.get(i).is_some_and(|t| t.is_word("OR")) {
        i += 2;
    }
    if !tokens.get(i).is_some_and(|t| t.is_word("PROC") || t.is_word("PROCEDURE")) {
        return;
    }
    i += 1;
    // The name: words separated by periods.
    while tokens.get(i).is_some_and(|t| matches!(t.token, Token::Word(_)))
        && tokens.get(i + 1).is_some_and(|t| t.token == Token::Period)
    {
        i += 2;
    }
    i += 1;
    let Some(first) = tokens.get(i) else { return };
    if first.token == Token::LParen || first.is_word("AS") {
        return;
    }
    let mut depth = 0i32;
    for t in &tokens[i..] {
        match t.token {
            Token::LParen => depth += 1,
            Token::RParen => depth -= 1,
            _ if depth == 0 && t.is_word("AS") => {
                out.push(first.range.start..t.range.start);
                return;
            }
            _ => {}
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
    fn blanks_lock_strength_and_frame_exclusion() {
        let fixed = candidates("SELECT * FROM t FOR NO KEY UPDATE", Dialect::Postgres);
        assert_eq!(fixed[0].split_whitespace().collect::<Vec<_>>().join(" "), "SELECT * FROM t FOR UPDATE");
        let fixed = candidates("SELECT a FROM t WHERE a BETWEEN SYMMETRIC 1 AND 2", Dialect::Postgres);
        assert!(!fixed[0].contains("SYMMETRIC"));
    }

    #[test]
    fn tsql_trailing_comma_and_clustered() {
        let fixed = candidates("CREATE TABLE t (a int, )", Dialect::Tsql);
        assert_eq!(fixed[0], "CREATE TABLE t (a int  )");
        let fixed = candidates("CREATE UNIQUE NONCLUSTERED INDEX i ON t(a)", Dialect::Tsql);
        assert!(fixed[0].starts_with("CREATE UNIQUE              INDEX"));
        let fixed = candidates("CREATE PROCEDURE [dbo].[p] @a INT, @b NVARCHAR(10) = N'x' OUTPUT\nAS SELECT 1", Dialect::Tsql);
        assert_eq!(fixed[0].split_whitespace().collect::<Vec<_>>().join(" "), "CREATE PROCEDURE [dbo].[p] AS SELECT 1");
    }
}
