//! Layer (e), for text: nothing the agent sent that could be a secret is repeated back.
//!
//! Errors carry the server's message (never the query, never DETAIL, which may hold row
//! values) with every string literal of the agent's text blanked out, and with anything in
//! single quotes blanked too. SQL that is echoed has its string literals replaced.

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Token, Tokenizer};

/// What replaces a withheld literal.
pub const MASK: &str = "'…'";

/// At most `max` characters of `s`, with an ellipsis when cut.
pub fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// The string literals of `sql` (quoted, escaped, dollar-quoted, national, Unicode…).
pub fn literals(sql: &str) -> Vec<String> {
    let Ok(tokens) = Tokenizer::new(&PostgreSqlDialect {}, sql).tokenize() else {
        return Vec::new();
    };
    tokens.into_iter().filter_map(literal_of).collect()
}

fn literal_of(token: Token) -> Option<String> {
    match token {
        Token::SingleQuotedString(s)
        | Token::DoubleQuotedString(s)
        | Token::NationalStringLiteral(s)
        | Token::EscapedStringLiteral(s)
        | Token::UnicodeStringLiteral(s)
        | Token::HexStringLiteral(s)
        | Token::SingleQuotedByteStringLiteral(s)
        | Token::DoubleQuotedByteStringLiteral(s) => Some(s),
        Token::DollarQuotedString(d) => Some(d.value),
        _ => None,
    }
}

/// `sql` with every string literal replaced by [`MASK`]; `None` when it cannot be tokenised
/// (then nothing of it may be shown).
pub fn redact_sql(sql: &str) -> Option<String> {
    let tokens = Tokenizer::new(&PostgreSqlDialect {}, sql).tokenize().ok()?;
    Some(
        tokens
            .into_iter()
            .map(|t| match literal_of(t.clone()) {
                Some(_) if !matches!(t, Token::DoubleQuotedString(_)) => MASK.to_string(),
                _ => t.to_string(),
            })
            .collect(),
    )
}

/// A message with single-quoted parts blanked (parser errors quote the token they stopped
/// at, which may be a literal).
pub fn redact_message(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(start) = rest.find('\'') {
        out.push_str(&rest[..start]);
        match rest[start + 1..].find('\'') {
            Some(end) => {
                out.push_str(MASK);
                rest = &rest[start + 1 + end + 1..];
            }
            None => {
                out.push_str(MASK);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    clip(&out, 500)
}

/// A server error message made safe to return for `sql`: every literal of `sql` (of four
/// characters or more; shorter ones are not secrets and would blank ordinary words) is
/// replaced, then single-quoted parts.
pub fn redact_error(message: &str, sql: &str) -> String {
    let mut text = message.to_string();
    let mut secrets = literals(sql);
    // Longest first, so a literal that contains another is replaced whole.
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    for secret in secrets.iter().filter(|s| s.chars().count() >= 4) {
        text = text.replace(secret.as_str(), "…");
    }
    redact_message(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_masked_in_sql() {
        let sql = "SELECT * FROM t WHERE token = 'sk_live_abc123' AND x = $$hunter2$$";
        let red = redact_sql(sql).unwrap_or_default();
        assert!(!red.contains("sk_live_abc123"), "{red}");
        assert!(!red.contains("hunter2"), "{red}");
        assert!(red.contains("token"), "{red}");
    }

    #[test]
    fn literals_are_removed_from_errors() {
        let sql = "SELECT 'correct-horse-battery'::int";
        let msg = "invalid input syntax for type integer: \"correct-horse-battery\"";
        let red = redact_error(msg, sql);
        assert!(!red.contains("correct-horse"), "{red}");
        assert!(red.contains("invalid input syntax"), "{red}");
    }

    #[test]
    fn quoted_parts_of_messages_are_masked() {
        assert_eq!(
            redact_message("Expected: end of statement, found: 'secret'"),
            format!("Expected: end of statement, found: {MASK}")
        );
    }
}
