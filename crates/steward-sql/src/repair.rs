//! Position-preserving repairs for valid SQL the parser does not accept as written.
//!
//! Each repair blanks out tokens the parser chokes on but the model does not need, so the
//! repaired text parses and its AST spans still point into the original file.

use crate::lex::{blank, lex, Lexeme};
use sqlparser::tokenizer::Token;
use steward_core::Dialect;

/// A repaired text and the keywords the repair took out (the AST will lack them, so rules
/// that care — e.g. about `DROP INDEX CONCURRENTLY` — read them from the statement).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    pub text: String,
    pub removed: Vec<String>,
}

/// Repaired versions of `text` to try, most specific first. Empty when nothing applies.
pub fn candidates(text: &str, dialect: Dialect) -> Vec<Repair> {
    let Ok(tokens) = lex(text, dialect, false) else {
        return Vec::new();
    };
    let mut ranges = Vec::new();
    let mut replacements = Vec::new();
    match dialect {
        Dialect::Postgres => {
            with_data_clause(&tokens, &mut ranges);
            trigger_function_arguments(&tokens, &mut ranges);
            query_modifiers(&tokens, &mut ranges);
            unsupported_keywords(&tokens, &mut ranges);
            procedure_as_function(&tokens, &mut replacements);
            like_options(&tokens, &mut ranges);
        }
        Dialect::Tsql => {
            trailing_comma(&tokens, &mut ranges);
            clustered_index(&tokens, &mut ranges);
            procedure_parameters(&tokens, &mut ranges);
        }
    }
    if ranges.is_empty() && replacements.is_empty() {
        return Vec::new();
    }
    let mut removed: Vec<String> = ranges
        .iter()
        .chain(replacements.iter().map(|(r, _)| r))
        .flat_map(|r| {
            text[r.clone()]
                .split_whitespace()
                .map(|w| w.to_ascii_uppercase())
        })
        .collect();
    removed.dedup();
    let mut repaired = blank(text, &ranges);
    for (range, with) in &replacements {
        // Same-length replacement keeps every position.
        let padded = format!("{with:<width$}", width = range.len());
        if padded.len() == range.len()
            && repaired.is_char_boundary(range.start)
            && repaired.is_char_boundary(range.end)
        {
            repaired.replace_range(range.clone(), &padded);
        }
    }
    vec![Repair {
        text: repaired,
        removed,
    }]
}

/// Keywords sqlparser does not accept where PostgreSQL does: `DROP INDEX CONCURRENTLY`,
/// `CREATE INDEX … ON ONLY parent` (pg_dump writes it for partitioned tables).
fn unsupported_keywords(tokens: &[Lexeme], out: &mut Vec<std::ops::Range<usize>>) {
    let is = |i: usize, w: &str| tokens.get(i).is_some_and(|t| t.is_word(w));
    if is(0, "DROP") && is(1, "INDEX") && is(2, "CONCURRENTLY") {
        out.push(tokens[2].range.clone());
    }
    if is(0, "CREATE") {
        if let Some(on) = tokens.iter().take(12).position(|t| t.is_word("ON")) {
            let is_index = tokens[..on].iter().any(|t| t.is_word("INDEX"));
            if is_index && is(on + 1, "ONLY") {
                out.push(tokens[on + 1].range.clone());
            }
        }
    }
}

/// `CREATE [OR REPLACE] PROCEDURE … AS $$…$$`: sqlparser reads PostgreSQL procedures only as
/// functions; `FUNCTION` fits in the place of `PROCEDURE`, and `PROCEDURE` is reported as
/// removed so the model knows.
fn procedure_as_function(tokens: &[Lexeme], out: &mut Vec<(std::ops::Range<usize>, String)>) {
    if !tokens.first().is_some_and(|t| t.is_word("CREATE")) {
        return;
    }
    let or_replace = tokens.get(1).is_some_and(|t| t.is_word("OR"))
        && tokens.get(2).is_some_and(|t| t.is_word("REPLACE"));
    let i = if or_replace { 3 } else { 1 };
    if let Some(t) = tokens.get(i).filter(|t| t.is_word("PROCEDURE")) {
        out.push((t.range.clone(), "FUNCTION".into()));
    }
}

/// `CREATE TABLE t (LIKE s INCLUDING ALL)`: the copy options do not matter to the model (a
/// LIKE table's columns are unknown to it anyway).
fn like_options(tokens: &[Lexeme], out: &mut Vec<std::ops::Range<usize>>) {
    let create_like = tokens.first().is_some_and(|t| t.is_word("CREATE"))
        && tokens.iter().any(|t| t.is_word("LIKE"));
    if !create_like {
        return;
    }
    for (i, t) in tokens.iter().enumerate() {
        if t.is_word("INCLUDING") || t.is_word("EXCLUDING") {
            if let Some(next) = tokens
                .get(i + 1)
                .filter(|n| matches!(n.token, Token::Word(_)))
            {
                out.push(t.range.start..next.range.end);
            }
        }
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
            if next(1).is_some_and(|n| n.is_word("NO")) && next(2).is_some_and(|n| n.is_word("KEY"))
            {
                if let (Some(a), Some(b)) = (next(1), next(2)) {
                    out.push(a.range.start..b.range.end);
                }
            } else if next(1).is_some_and(|n| n.is_word("KEY"))
                && next(2).is_some_and(|n| n.is_word("SHARE"))
            {
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
                (Some(a), Some(b))
                    if (a.is_word("CURRENT") && b.is_word("ROW"))
                        || (a.is_word("NO") && b.is_word("OTHERS")) =>
                {
                    2
                }
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
    if !tokens
        .first()
        .is_some_and(|t| t.is_word("CREATE") || t.is_word("ALTER"))
    {
        return;
    }
    i += 1;
    if tokens.get(i).is_some_and(|t| t.is_word("OR")) {
        i += 2;
    }
    if !tokens
        .get(i)
        .is_some_and(|t| t.is_word("PROC") || t.is_word("PROCEDURE"))
    {
        return;
    }
    i += 1;
    // The name: words separated by periods.
    while tokens
        .get(i)
        .is_some_and(|t| matches!(t.token, Token::Word(_)))
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
        assert_eq!(fixed[0].text.len(), sql.len());
        assert_eq!(
            fixed[0]
                .text
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            "CREATE MATERIALIZED VIEW v AS SELECT 1 ;"
        );
        assert_eq!(fixed[0].removed, vec!["WITH", "NO", "DATA"]);
    }

    #[test]
    fn blanks_trigger_arguments() {
        let sql = "CREATE TRIGGER t BEFORE INSERT ON f FOR EACH ROW EXECUTE PROCEDURE g('a', 'b');";
        let fixed = candidates(sql, Dialect::Postgres);
        assert!(fixed[0].text.contains("g(        );"), "{}", fixed[0].text);
    }

    #[test]
    fn blanks_lock_strength_and_frame_exclusion() {
        let fixed = candidates("SELECT * FROM t FOR NO KEY UPDATE", Dialect::Postgres);
        assert_eq!(
            fixed[0]
                .text
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            "SELECT * FROM t FOR UPDATE"
        );
        let fixed = candidates(
            "SELECT a FROM t WHERE a BETWEEN SYMMETRIC 1 AND 2",
            Dialect::Postgres,
        );
        assert!(!fixed[0].text.contains("SYMMETRIC"));
        let fixed = candidates("DROP INDEX CONCURRENTLY IF EXISTS i", Dialect::Postgres);
        assert_eq!(fixed[0].removed, vec!["CONCURRENTLY"]);
        let fixed = candidates(
            "CREATE OR REPLACE PROCEDURE p() LANGUAGE sql AS $$ SELECT 1 $$",
            Dialect::Postgres,
        );
        assert!(fixed[0].text.starts_with("CREATE OR REPLACE FUNCTION  p()"));
        assert_eq!(fixed[0].removed, vec!["PROCEDURE"]);
    }

    #[test]
    fn tsql_trailing_comma_and_clustered() {
        let fixed = candidates("CREATE TABLE t (a int, )", Dialect::Tsql);
        assert_eq!(fixed[0].text, "CREATE TABLE t (a int  )");
        let fixed = candidates("CREATE UNIQUE NONCLUSTERED INDEX i ON t(a)", Dialect::Tsql);
        assert!(fixed[0]
            .text
            .starts_with("CREATE UNIQUE              INDEX"));
        let fixed = candidates(
            "CREATE PROCEDURE [dbo].[p] @a INT, @b NVARCHAR(10) = N'x' OUTPUT\nAS SELECT 1",
            Dialect::Tsql,
        );
        assert_eq!(
            fixed[0]
                .text
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            "CREATE PROCEDURE [dbo].[p] AS SELECT 1"
        );
    }
}
