//! SQL embedded in routine bodies: SQL-language functions are split and parsed like files;
//! PL/pgSQL bodies are cut at `;` and the SQL statements among the control flow are picked
//! out (best effort: a fragment that does not parse is skipped, never reported, because
//! PL/pgSQL is not SQL).

use crate::split::{self, PieceKind};
use steward_core::Dialect;

/// One SQL statement found in a body, with its byte offset in the body text.
#[derive(Debug, Clone)]
pub struct Embedded {
    pub offset: usize,
    pub text: String,
    pub ast: sqlparser::ast::Statement,
}

/// Extracts the SQL statements of a routine body.
pub fn embedded_statements(body: &str, language: &str, dialect: Dialect) -> Vec<Embedded> {
    let language = language.to_ascii_lowercase();
    let mut out = Vec::new();
    for piece in split::split(body, dialect) {
        if piece.kind != PieceKind::Statement {
            continue;
        }
        let text = &body[piece.range.clone()];
        let candidates: Vec<(usize, String)> = if language == "plpgsql" {
            plpgsql_fragments(text)
        } else {
            vec![(0, text.to_string())]
        };
        for (offset, sql) in candidates {
            if let Ok((mut asts, _)) = crate::parse::parse_one(&sql, dialect) {
                if asts.len() == 1 {
                    out.push(Embedded {
                        offset: piece.range.start + offset,
                        text: sql,
                        ast: asts.remove(0),
                    });
                }
            }
        }
    }
    out
}

/// SQL statements inside one `;`-terminated PL/pgSQL fragment, with their offsets. Control
/// words before the statement (`BEGIN`, `IF … THEN`, `ELSE`, `LOOP`, `RETURN QUERY`, labels)
/// are skipped; `PERFORM` becomes `SELECT`; a `FOR … IN <query> LOOP` yields its query.
fn plpgsql_fragments(text: &str) -> Vec<(usize, String)> {
    let upper = text.to_ascii_uppercase();
    let mut out = Vec::new();
    // FOR r IN SELECT … LOOP … : the query between IN and LOOP.
    if let Some(for_pos) = find_word(&upper, "FOR", 0) {
        if let Some(in_pos) = find_word(&upper, "IN", for_pos) {
            let query_start = in_pos + 2;
            if let Some(loop_pos) = find_word(&upper, "LOOP", query_start) {
                let q = &text[query_start..loop_pos];
                if starts_with_dml(q) {
                    let lead = q.len() - q.trim_start().len();
                    out.push((query_start + lead, q.trim().to_string()));
                }
                let rest_start = loop_pos + 4;
                for (o, s) in plpgsql_fragments(&text[rest_start..]) {
                    out.push((rest_start + o, s));
                }
                return out;
            }
        }
    }
    let mut start = 0;
    loop {
        let rest = &text[start..];
        let trimmed = rest.trim_start();
        start += rest.len() - trimmed.len();
        let word_end = trimmed
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(trimmed.len());
        let word = trimmed[..word_end].to_ascii_uppercase();
        match word.as_str() {
            "BEGIN" | "ELSE" | "LOOP" | "DECLARE" | "EXCEPTION" => start += word_end,
            "IF" | "ELSIF" | "WHEN" => match find_word(&upper, "THEN", start) {
                Some(then) => start = then + 4,
                None => return out,
            },
            "RETURN" => {
                let after = trimmed[word_end..].trim_start();
                if after.to_ascii_uppercase().starts_with("QUERY") {
                    let skip = trimmed.len() - after.len() + 5;
                    start += skip;
                } else {
                    return out;
                }
            }
            "PERFORM" => {
                let body = trimmed[word_end..].trim().trim_end_matches(';');
                out.push((start + word_end, format!("SELECT {body}")));
                return out;
            }
            _ if trimmed.starts_with("<<") => match trimmed.find(">>") {
                Some(end) => start += end + 2,
                None => return out,
            },
            _ => {
                if starts_with_dml(trimmed) {
                    out.push((start, trimmed.trim_end().trim_end_matches(';').to_string()));
                }
                return out;
            }
        }
        if start >= text.len() {
            return out;
        }
    }
}

fn starts_with_dml(text: &str) -> bool {
    let word: String = text
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect::<String>()
        .to_ascii_uppercase();
    matches!(
        word.as_str(),
        "SELECT" | "INSERT" | "UPDATE" | "DELETE" | "WITH"
    )
}

/// Finds `word` as a whole word in `upper` at or after `from`.
fn find_word(upper: &str, word: &str, from: usize) -> Option<usize> {
    let bytes = upper.as_bytes();
    let mut at = from;
    while let Some(i) = upper.get(at..)?.find(word) {
        let pos = at + i;
        let before_ok = pos == 0 || !is_ident(bytes[pos - 1]);
        let after_ok = bytes.get(pos + word.len()).is_none_or(|b| !is_ident(*b));
        if before_ok && after_ok {
            return Some(pos);
        }
        at = pos + word.len();
    }
    None
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_sql_in_plpgsql() {
        let body = "
DECLARE
    v int;
BEGIN
    SELECT count(*) INTO v FROM rental WHERE customer_id = p_id;
    IF v > 0 THEN
        UPDATE customer SET active = 1 WHERE customer_id = p_id;
    END IF;
    PERFORM pg_notify('x', 'y');
    RETURN QUERY SELECT * FROM film;
    FOR r IN SELECT id FROM t LOOP
        DELETE FROM u WHERE id = r.id;
    END LOOP;
    RETURN v;
END;";
        let found = embedded_statements(body, "plpgsql", Dialect::Postgres);
        let texts: Vec<&str> = found.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(texts.len(), 6, "{texts:?}");
        assert!(texts[0].starts_with("SELECT count(*)"));
        assert!(texts[1].starts_with("UPDATE customer"));
        assert!(texts[2].starts_with("SELECT pg_notify"));
        assert_eq!(texts[3], "SELECT * FROM film");
        assert_eq!(texts[4], "SELECT id FROM t");
        assert!(texts[5].starts_with("DELETE FROM u"));
        // Offsets point at the statement in the body.
        assert!(body[found[1].offset..].starts_with("UPDATE customer"));
    }

    #[test]
    fn sql_bodies_parse_whole() {
        let found = embedded_statements("SELECT 1; SELECT 2", "sql", Dialect::Postgres);
        assert_eq!(found.len(), 2);
    }
}
