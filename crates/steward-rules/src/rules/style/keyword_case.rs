use crate::prelude::*;
use sqlparser::tokenizer::Token;
use steward_core::{Location, Position, Span};

declare_rule! {
    /// Finds statements that write SQL keywords in mixed case (`select … FROM`).
    ///
    /// ## What it does
    /// Looks at the core keywords of each statement (`SELECT`, `FROM`, `WHERE`, `JOIN`, `AND`,
    /// `CREATE TABLE`, `NOT NULL`…), classifies each as upper, lower or mixed case, and when
    /// more than one style appears reports the minority once, with its count. Words that are
    /// often column or function names (`key`, `language`, `view`, `left`) are not counted,
    /// nor names after a dot (`t.end`). Off by default.
    ///
    /// The check is per statement: the rule engine hands rules one statement at a time, so a
    /// file whose statements are each consistent but differ from one another is not reported.
    ///
    /// ## Why it matters
    /// Consistent keyword case makes SQL faster to scan and review, and keeps diffs free of
    /// noise when a formatter runs later. It is a matter of taste, hence info and opt-in.
    ///
    /// ## Example
    /// ```sql
    /// SELECT id, email from customer WHERE active and created_at > now() - interval '1 day';
    /// ```
    ///
    /// ## Fix
    /// ```sql
    /// SELECT id, email FROM customer WHERE active AND created_at > now() - interval '1 day';
    /// ```
    pub struct KeywordCase {
        id: "keyword-case",
        category: Style,
        severity: Info,
        dialects: [Postgres, Tsql],
        scope: Statement,
        default_enabled: false,
    }
}

/// Reserved-ish keywords that are practically never identifiers.
const KEYWORDS: &[&str] = &[
    "SELECT",
    "FROM",
    "WHERE",
    "INSERT",
    "INTO",
    "VALUES",
    "UPDATE",
    "DELETE",
    "CREATE",
    "TABLE",
    "ALTER",
    "DROP",
    "CONSTRAINT",
    "PRIMARY",
    "FOREIGN",
    "REFERENCES",
    "NOT",
    "NULL",
    "DEFAULT",
    "UNIQUE",
    "CHECK",
    "ON",
    "JOIN",
    "INNER",
    "OUTER",
    "GROUP",
    "ORDER",
    "BY",
    "HAVING",
    "AND",
    "OR",
    "AS",
    "IN",
    "IS",
    "LIKE",
    "BETWEEN",
    "CASE",
    "WHEN",
    "THEN",
    "ELSE",
    "END",
    "DISTINCT",
    "UNION",
    "EXISTS",
    "WITH",
    "LIMIT",
    "OFFSET",
    "RETURNING",
    "CASCADE",
    "GRANT",
    "REVOKE",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Upper,
    Lower,
    Mixed,
}

impl Style {
    fn of(word: &str) -> Style {
        if word.chars().all(|c| !c.is_ascii_lowercase()) {
            Style::Upper
        } else if word.chars().all(|c| !c.is_ascii_uppercase()) {
            Style::Lower
        } else {
            Style::Mixed
        }
    }

    fn name(self) -> &'static str {
        match self {
            Style::Upper => "upper case",
            Style::Lower => "lower case",
            Style::Mixed => "mixed case",
        }
    }
}

impl Rule for KeywordCase {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_statement(&self, ctx: &StatementCtx, out: &mut Vec<Diagnostic>) {
        let text: &str = &ctx.statement.text;
        let Ok(tokens) = steward_sql::lex::lex(text, ctx.dialect(), false) else {
            return;
        };
        // (range, style) of every counted keyword.
        let mut seen: Vec<(std::ops::Range<usize>, Style)> = Vec::new();
        for (i, t) in tokens.iter().enumerate() {
            let Token::Word(w) = &t.token else { continue };
            if w.quote_style.is_some() {
                continue;
            }
            let upper = w.value.to_ascii_uppercase();
            if !KEYWORDS.contains(&upper.as_str()) {
                continue;
            }
            // `x.end`, `left(…)`-style uses are names, not keywords.
            let prev_dot = i
                .checked_sub(1)
                .and_then(|p| tokens.get(p))
                .is_some_and(|p| p.token == Token::Period);
            let next_dot = tokens.get(i + 1).is_some_and(|n| n.token == Token::Period);
            if prev_dot || next_dot {
                continue;
            }
            seen.push((t.range.clone(), Style::of(&w.value)));
        }
        let count = |s: Style| seen.iter().filter(|(_, x)| *x == s).count();
        let counts = [
            (Style::Upper, count(Style::Upper)),
            (Style::Lower, count(Style::Lower)),
            (Style::Mixed, count(Style::Mixed)),
        ];
        if counts.iter().filter(|(_, n)| *n > 0).count() < 2 {
            return;
        }
        // The majority style (ties go to upper, then lower case).
        let majority = counts
            .iter()
            .fold(
                (Style::Upper, 0),
                |best, &(s, n)| if n > best.1 { (s, n) } else { best },
            )
            .0;
        let minority: Vec<&(std::ops::Range<usize>, Style)> =
            seen.iter().filter(|(_, s)| *s != majority).collect();
        let Some((first, first_style)) = minority.first().map(|(r, s)| (r.clone(), *s)) else {
            return;
        };
        let examples: Vec<&str> = minority
            .iter()
            .filter_map(|(r, _)| text.get(r.clone()))
            .take(3)
            .collect();
        let location = Location {
            path: ctx.statement.location.path.clone(),
            span: Span::new(
                position(text, first.start, ctx.statement.base),
                position(text, first.end, ctx.statement.base),
            ),
        };
        let mut d = KeywordCase::META
            .diag(format!(
                "{} in {} ({}), the other {} in {}",
                plural(minority.len(), "keyword", "keywords"),
                if minority.iter().all(|(_, s)| *s == first_style) {
                    first_style.name()
                } else {
                    "another case"
                },
                examples.join(", "),
                seen.len() - minority.len(),
                majority.name(),
            ))
            .at(Some(location))
            .help(
                "write keywords in one case; a formatter (pg_format, sqlfluff) keeps it that way",
            );
        if text.len() <= 4000 {
            let mut fixed = String::with_capacity(text.len());
            let mut last = 0;
            for (r, _) in &minority {
                let (Some(before), Some(word)) = (text.get(last..r.start), text.get(r.clone()))
                else {
                    return;
                };
                fixed.push_str(before);
                fixed.push_str(&match majority {
                    Style::Lower => word.to_ascii_lowercase(),
                    _ => word.to_ascii_uppercase(),
                });
                last = r.end;
            }
            fixed.push_str(text.get(last..).unwrap_or_default());
            d = d.fix(fixed.trim_end().to_string());
        }
        out.push(d);
    }
}

/// The file position of a byte offset of a statement's text starting at `base`.
fn position(text: &str, offset: usize, base: Position) -> Position {
    let prefix = text.get(..offset).unwrap_or(text);
    let line = prefix.matches('\n').count() as u32;
    let column = match prefix.rfind('\n') {
        Some(nl) => prefix[nl + 1..].chars().count() as u32 + 1,
        None => prefix.chars().count() as u32 + 1,
    };
    Position::new(line + 1, column).offset_by(base)
}
