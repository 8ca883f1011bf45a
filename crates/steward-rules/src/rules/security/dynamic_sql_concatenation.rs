use super::tokens::{call_args, tokens};
use crate::prelude::*;
use sqlparser::tokenizer::Token;
use std::collections::HashMap;
use steward_core::model::Function;
use steward_sql::lex::Lexeme;

declare_rule! {
    /// Finds dynamic SQL built by concatenating parameters.
    ///
    /// ## What it does
    /// In PL/pgSQL functions and procedures, reports `EXECUTE` of a string built with `||` from a
    /// text parameter of the routine (directly, or through a variable assigned such a string).
    /// In T-SQL procedures, reports `EXEC(…)`/`EXECUTE(…)` and `sp_executesql` of a string built
    /// with `+` from a character parameter. Pieces wrapped in `quote_ident`, `quote_literal`,
    /// `quote_nullable`, `format` (PostgreSQL) or `QUOTENAME` (T-SQL) are safe, and numeric or
    /// date parameters cannot carry SQL, so neither is reported.
    ///
    /// ## Why it matters
    /// Whoever controls the parameter controls the statement: `'; DROP TABLE …` or
    /// `' OR '1'='1` runs with the routine's privileges — the owner's, for SECURITY DEFINER or
    /// EXECUTE AS OWNER routines. It is SQL injection inside the database, invisible to the
    /// application's own defences.
    ///
    /// ## Example
    /// ```sql
    /// CREATE FUNCTION find_user(p_name text) RETURNS SETOF app_user LANGUAGE plpgsql AS $$
    /// BEGIN
    ///   RETURN QUERY EXECUTE 'SELECT * FROM app_user WHERE name = ''' || p_name || '''';
    /// END $$;
    /// ```
    ///
    /// ## Fix
    /// Pass values as parameters, quote identifiers with `%I`:
    /// ```sql
    /// RETURN QUERY EXECUTE 'SELECT * FROM app_user WHERE name = $1' USING p_name;
    /// -- T-SQL: EXEC sp_executesql N'SELECT … WHERE Name = @Name', N'@Name nvarchar(100)', @Name = @Name;
    /// ```
    pub struct DynamicSqlConcatenation {
        id: "dynamic-sql-concatenation",
        category: Security,
        severity: Error,
        dialects: [Postgres, Tsql],
        scope: Schema,
    }
}

impl Rule for DynamicSqlConcatenation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_schema(&self, ctx: &ModelCtx, out: &mut Vec<Diagnostic>) {
        let dialect = ctx.model.dialect;
        for f in &ctx.model.functions {
            let Some(body) = &f.body else { continue };
            let applies = match dialect {
                Dialect::Postgres => f.language.eq_ignore_ascii_case("plpgsql"),
                Dialect::Tsql => true,
            };
            if !applies {
                continue;
            }
            let params = text_parameters(f);
            if params.is_empty() {
                continue;
            }
            let toks = tokens(body, dialect);
            for (range, param) in findings(&toks, &params, dialect) {
                let fix = match dialect {
                    Dialect::Postgres => "EXECUTE format('… %I …', identifier) or EXECUTE '… $1 …' USING value",
                    Dialect::Tsql => "EXEC sp_executesql N'… @p …', N'@p nvarchar(100)', @p = @Param (QUOTENAME() for identifiers)",
                };
                out.push(
                    Self::META
                        .diag(format!(
                            "{} {} runs SQL concatenated from its parameter {param}",
                            if f.is_procedure { "procedure" } else { "function" },
                            f.name.display(dialect)
                        ))
                        .at(body_location(body, &f.body_origin, range).or_else(|| f.origin.location().cloned()))
                        .object(f.name.display(dialect))
                        .help(format!(
                            "whoever controls {param} controls the statement (SQL injection with the routine's privileges); pass values as parameters and quote identifiers: {fix}"
                        )),
                );
            }
        }
    }
}

/// Parameters that can carry SQL text, lower case (T-SQL names keep their `@`).
fn text_parameters(f: &Function) -> Vec<String> {
    const TEXTUAL: &[&str] = &[
        "text",
        "char",
        "varchar",
        "nvarchar",
        "nchar",
        "name",
        "citext",
        "sysname",
        "character",
        "anyelement",
        "json",
        "jsonb",
        "xml",
        "sql_variant",
    ];
    f.parameters
        .iter()
        .filter(|(_, ty)| {
            let ty = ty.to_ascii_lowercase();
            TEXTUAL.iter().any(|t| ty.starts_with(t))
        })
        .map(|(name, _)| name.to_lowercase())
        .collect()
}

/// (byte range, parameter) of each EXECUTE whose SQL is concatenated from a parameter.
fn findings(
    toks: &[Lexeme],
    params: &[String],
    dialect: Dialect,
) -> Vec<(std::ops::Range<usize>, String)> {
    // Variables assigned a concatenation that involves a parameter.
    let mut tainted: HashMap<String, String> = HashMap::new();
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        // PostgreSQL `v := expr;` / T-SQL `SET @v = expr` and `SELECT @v = expr`.
        let assignment = match dialect {
            Dialect::Postgres => {
                matches!(toks.get(i + 1).map(|t| &t.token), Some(Token::Assignment))
                    .then(|| name_of(t))
                    .flatten()
                    .map(|n| (n, i + 2))
            }
            Dialect::Tsql => (t.is_word("SET") || t.is_word("SELECT"))
                .then(|| toks.get(i + 1).and_then(name_of))
                .flatten()
                .and_then(|n| match toks.get(i + 2).map(|t| &t.token) {
                    Some(Token::Eq) => Some((n, i + 3)),
                    // `SET @v += x`: keep the `+` so the concatenation is seen.
                    Some(Token::Plus) => Some((n, i + 2)),
                    _ => None,
                }),
        };
        if let Some((var, start)) = assignment {
            let end = statement_end(toks, start);
            if let Some(param) = concatenated_param(&toks[start..end], params, &tainted, dialect) {
                tainted.insert(var, param);
            }
            i = end;
            continue;
        }
        let exec = match dialect {
            Dialect::Postgres => t.is_word("EXECUTE"),
            Dialect::Tsql => {
                t.is_word("EXEC") || t.is_word("EXECUTE") || t.is_word("SP_EXECUTESQL")
            }
        };
        if exec {
            let mut start = i + 1;
            if dialect == Dialect::Tsql
                && toks.get(start).is_some_and(|t| t.is_word("SP_EXECUTESQL"))
            {
                start += 1;
            }
            let end = match dialect {
                Dialect::Tsql
                    if matches!(toks.get(start).map(|t| &t.token), Some(Token::LParen)) =>
                {
                    call_args(toks, start).map_or(start, |(_, close)| close + 1)
                }
                _ => statement_end(toks, start),
            };
            // For sp_executesql only the first argument is SQL.
            let end = toks[start..end]
                .iter()
                .position(|t| {
                    matches!(t.token, Token::Comma) || t.is_word("USING") || t.is_word("INTO")
                })
                .map_or(end, |p| start + p);
            if let Some(param) = concatenated_param(&toks[start..end], params, &tainted, dialect) {
                let range = t.range.start..toks[end.saturating_sub(1).max(i)].range.end;
                out.push((range, param));
            }
            i = end.max(i + 1);
            continue;
        }
        i += 1;
    }
    out
}

fn name_of(t: &Lexeme) -> Option<String> {
    match &t.token {
        Token::Word(w) => Some(w.value.to_lowercase()),
        _ => None,
    }
}

/// Index of the `;` (or end) that ends the statement starting at `start`.
fn statement_end(toks: &[Lexeme], start: usize) -> usize {
    let mut depth = 0i32;
    for (i, t) in toks.iter().enumerate().skip(start) {
        match t.token {
            Token::LParen => depth += 1,
            Token::RParen => depth -= 1,
            Token::SemiColon if depth <= 0 => return i,
            _ => {}
        }
        // T-SQL statements need no `;`: stop at the next statement keyword at depth 0.
        if depth <= 0
            && i > start
            && [
                "SET", "EXEC", "EXECUTE", "IF", "END", "BEGIN", "DECLARE", "RETURN", "PRINT",
            ]
            .iter()
            .any(|k| t.is_word(k))
        {
            return i;
        }
    }
    toks.len()
}

/// The parameter (or tainted variable's parameter) joined by concatenation in `expr`, outside
/// any quoting function.
fn concatenated_param(
    expr: &[Lexeme],
    params: &[String],
    tainted: &HashMap<String, String>,
    dialect: Dialect,
) -> Option<String> {
    let concat = |t: &Lexeme| match dialect {
        Dialect::Postgres => matches!(t.token, Token::StringConcat),
        Dialect::Tsql => matches!(t.token, Token::Plus),
    };
    // A lone tainted variable: `EXECUTE v_sql`.
    if let [single] = expr {
        return name_of(single).and_then(|n| tainted.get(&n).cloned());
    }
    if let [Token::LParen, .., Token::RParen] = expr
        .iter()
        .map(|t| t.token.clone())
        .collect::<Vec<_>>()
        .as_slice()
    {
        if expr.len() == 3 {
            return name_of(&expr[1]).and_then(|n| tainted.get(&n).cloned());
        }
    }
    if !expr.iter().any(concat) {
        return None;
    }
    let mut depth_in_quoting: Vec<i32> = Vec::new();
    let mut depth = 0i32;
    for (i, t) in expr.iter().enumerate() {
        match t.token {
            Token::LParen => {
                depth += 1;
                let callee = i.checked_sub(1).and_then(|p| name_of(&expr[p]));
                if callee.is_some_and(|c| {
                    matches!(
                        c.as_str(),
                        "quote_ident" | "quote_literal" | "quote_nullable" | "format" | "quotename"
                    )
                }) {
                    depth_in_quoting.push(depth);
                }
            }
            Token::RParen => {
                if depth_in_quoting.last() == Some(&depth) {
                    depth_in_quoting.pop();
                }
                depth -= 1;
            }
            Token::Word(_) if depth_in_quoting.is_empty() => {
                let Some(name) = name_of(t) else { continue };
                // A call, not a value: `lower(p)` still carries p, so look at its arguments.
                if params.contains(&name) {
                    return Some(name);
                }
                if let Some(p) = tainted.get(&name) {
                    return Some(p.clone());
                }
            }
            _ => {}
        }
    }
    None
}
