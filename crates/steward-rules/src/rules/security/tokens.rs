//! Token-level scanning for security rules: secrets and dynamic SQL hide in places the AST
//! does not reach (routine bodies kept as strings, statements sqlparser cannot parse).

use sqlparser::tokenizer::Token;
use steward_core::Dialect;
use steward_sql::lex::{lex, Lexeme};

/// Tokens of `text`, with those of dollar-quoted bodies (`AS $$ … $$`) spliced in, so a
/// function body is scanned like top-level SQL. Ranges are byte offsets into `text`.
pub fn tokens(text: &str, dialect: Dialect) -> Vec<Lexeme> {
    let mut out = Vec::new();
    collect(text, 0, dialect, 0, &mut out);
    out
}

fn collect(text: &str, base: usize, dialect: Dialect, depth: usize, out: &mut Vec<Lexeme>) {
    let Ok(lexemes) = lex(text, dialect, false) else {
        return;
    };
    for mut l in lexemes {
        if let Token::DollarQuotedString(s) = &l.token {
            if depth < 4 {
                let raw = &text[l.range.clone()];
                let open = s.tag.as_ref().map_or(2, |t| t.len() + 2);
                let inner_start = l.range.start + open.min(raw.len());
                let inner_end = inner_start + s.value.len();
                if inner_end <= text.len()
                    && text.is_char_boundary(inner_start)
                    && text.is_char_boundary(inner_end)
                {
                    collect(
                        &text[inner_start..inner_end],
                        base + inner_start,
                        dialect,
                        depth + 1,
                        out,
                    );
                    continue;
                }
            }
        }
        l.range = base + l.range.start..base + l.range.end;
        out.push(l);
    }
}

/// A string literal token's value.
pub fn literal(l: &Lexeme) -> Option<&str> {
    match &l.token {
        Token::SingleQuotedString(s)
        | Token::NationalStringLiteral(s)
        | Token::EscapedStringLiteral(s)
        | Token::UnicodeStringLiteral(s) => Some(s),
        _ => None,
    }
}

/// The arguments of the call whose `(` is at `open`: token index ranges split at top-level
/// commas, and the index of the closing `)`.
pub fn call_args(toks: &[Lexeme], open: usize) -> Option<(Vec<std::ops::Range<usize>>, usize)> {
    if !matches!(toks.get(open)?.token, Token::LParen) {
        return None;
    }
    let mut depth = 0usize;
    let mut args = Vec::new();
    let mut start = open + 1;
    for (i, t) in toks.iter().enumerate().skip(open) {
        match t.token {
            Token::LParen | Token::LBracket => depth += 1,
            Token::RParen | Token::RBracket => {
                depth -= 1;
                if depth == 0 {
                    if i > start {
                        args.push(start..i);
                    }
                    return Some((args, i));
                }
            }
            Token::Comma if depth == 1 => {
                args.push(start..i);
                start = i + 1;
            }
            _ => {}
        }
    }
    None
}
