//! JSON / JSONB documents: collect string and number leaves per key path.
//!
//! Array indices collapse to `[*]` so that `$.contacts[0].email` and `$.contacts[7].email`
//! are one path. Keys are names and may be printed — unless a key itself looks like data
//! (an email address, a phone number, a token used as a map key), in which case the path
//! segment becomes `*` and the key is never kept.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::classify::label_value;
use crate::hint::NameHint;

/// Deepest nesting walked.
const MAX_DEPTH: usize = 32;
/// Most leaves collected per column (all documents together).
const MAX_LEAVES: usize = 20_000;
/// Longest document parsed.
const MAX_DOC_BYTES: usize = 1 << 20;

/// Leaves found at one path.
#[derive(Debug, Default)]
pub(crate) struct PathLeaves {
    /// The last printable key on the path (the name hint for these leaves).
    pub(crate) key: Option<String>,
    pub(crate) values: Vec<String>,
}

/// True when a key is a plain name: 1–64 characters of letters, digits, `_` and `-`,
/// starting with a letter or `_`, and not itself shaped like personal data or a secret.
fn key_is_name(key: &str, today: (i32, u32, u32)) -> bool {
    (1..=64).contains(&key.len())
        && key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && label_value(key, &NameHint::default(), today).is_none()
}

struct Walker {
    out: BTreeMap<String, PathLeaves>,
    leaves: usize,
    today: (i32, u32, u32),
}

impl Walker {
    fn push(&mut self, path: &str, key: Option<&str>, value: String) {
        if self.leaves >= MAX_LEAVES {
            return;
        }
        self.leaves += 1;
        let entry = self.out.entry(path.to_owned()).or_default();
        if entry.key.is_none() {
            entry.key = key.map(str::to_owned);
        }
        entry.values.push(value);
    }

    fn walk(&mut self, value: &Value, path: &mut String, key: Option<&str>, depth: usize) {
        if depth > MAX_DEPTH || self.leaves >= MAX_LEAVES {
            return;
        }
        match value {
            Value::String(s) => self.push(path, key, s.clone()),
            Value::Number(n) => self.push(path, key, n.to_string()),
            Value::Null | Value::Bool(_) => {}
            Value::Array(items) => {
                let len = path.len();
                path.push_str("[*]");
                for item in items {
                    self.walk(item, path, key, depth + 1);
                }
                path.truncate(len);
            }
            Value::Object(map) => {
                for (k, item) in map {
                    let len = path.len();
                    let named = key_is_name(k, self.today);
                    if named {
                        path.push('.');
                        path.push_str(k);
                    } else {
                        path.push_str(".*");
                    }
                    let child_key = if named { Some(k.as_str()) } else { key };
                    self.walk(item, path, child_key, depth + 1);
                    path.truncate(len);
                }
            }
        }
    }
}

/// Parses every value that is a JSON object or array (or a JSON string literal, as jsonb
/// scalars print) and collects its leaves per key path.
pub(crate) fn collect_leaves(
    values: &[&str],
    today: (i32, u32, u32),
) -> BTreeMap<String, PathLeaves> {
    let mut walker = Walker {
        out: BTreeMap::new(),
        leaves: 0,
        today,
    };
    for &s in values {
        let candidate = s.len() <= MAX_DOC_BYTES
            && ((s.starts_with('{') && s.ends_with('}'))
                || (s.starts_with('[') && s.ends_with(']'))
                || (s.len() >= 2 && s.starts_with('"') && s.ends_with('"')));
        if !candidate {
            continue;
        }
        if let Ok(doc) = serde_json::from_str::<Value>(s) {
            let mut path = String::from("$");
            walker.walk(&doc, &mut path, None, 0);
        }
    }
    walker.out
}

/// Most elements taken from one PostgreSQL array literal.
const MAX_ARRAY_ELEMENTS: usize = 10_000;

/// A PostgreSQL array literal as arrays print in text form (`{a,b}`, `{"x y",NULL}`,
/// nested `{{1,2},{3,4}}`) that is not also valid JSON: its non-NULL elements, flattened.
/// `None` for anything else, including malformed literals.
pub(crate) fn pg_array_elements(s: &str) -> Option<Vec<String>> {
    if !(s.starts_with('{') && s.ends_with('}')) || serde_json::from_str::<Value>(s).is_ok() {
        return None;
    }
    let mut out = Vec::new();
    let mut chars = s.chars();
    let mut depth = 0usize;
    let mut cur = String::new();
    let (mut quoted, mut in_quotes) = (false, false);
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '\\' => cur.push(chars.next()?),
                '"' => in_quotes = false,
                _ => cur.push(c),
            }
            continue;
        }
        match c {
            '{' => depth += 1,
            '}' | ',' => {
                if c == '}' {
                    depth = depth.checked_sub(1)?;
                }
                let element = std::mem::take(&mut cur);
                let trimmed = element.trim();
                if quoted {
                    out.push(element);
                } else if !trimmed.is_empty() && !trimmed.eq_ignore_ascii_case("NULL") {
                    out.push(trimmed.to_owned());
                }
                quoted = false;
                if out.len() >= MAX_ARRAY_ELEMENTS {
                    break;
                }
            }
            '"' => {
                in_quotes = true;
                quoted = true;
            }
            _ if depth == 0 => return None,
            _ => cur.push(c),
        }
    }
    (!in_quotes).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: (i32, u32, u32) = (2025, 6, 15);

    #[test]
    fn paths_collapse_arrays_and_hide_data_keys() {
        let docs = [
            r#"{"contact":{"email":"a@example.com","phones":["+49 30 1234567","+1 415-555-0134"]},"n":1,"ok":true}"#,
            r#"{"contact":{"email":"b@example.com"},"by_email":{"c@example.com":"x"},"AKIAIOSFODNN7EXAMPLE":"k"}"#,
            r#""just-a-string""#,
            "not json",
            "{broken",
        ];
        let leaves = collect_leaves(&docs, TODAY);
        let paths: Vec<&str> = leaves.keys().map(String::as_str).collect();
        assert_eq!(
            paths,
            vec![
                "$",
                "$.*",
                "$.by_email.*",
                "$.contact.email",
                "$.contact.phones[*]",
                "$.n"
            ]
        );
        assert_eq!(leaves["$.contact.email"].values.len(), 2);
        assert_eq!(leaves["$.contact.email"].key.as_deref(), Some("email"));
        assert_eq!(leaves["$.contact.phones[*]"].key.as_deref(), Some("phones"));
        assert_eq!(leaves["$.by_email.*"].key.as_deref(), Some("by_email"));
        assert_eq!(leaves["$"].key, None);
        for key in leaves.keys() {
            assert!(!key.contains('@') && !key.contains("AKIA"));
        }
    }

    #[test]
    fn postgres_array_literals() {
        assert_eq!(
            pg_array_elements("{a@example.com,b@example.org}"),
            Some(vec!["a@example.com".to_owned(), "b@example.org".to_owned()])
        );
        assert_eq!(
            pg_array_elements(r#"{"+49 30 1234567",NULL,"say \"hi\"",plain}"#),
            Some(vec![
                "+49 30 1234567".to_owned(),
                "say \"hi\"".to_owned(),
                "plain".to_owned()
            ])
        );
        assert_eq!(
            pg_array_elements("{{1,2},{3,4}}"),
            Some(vec![
                "1".to_owned(),
                "2".to_owned(),
                "3".to_owned(),
                "4".to_owned()
            ])
        );
        assert_eq!(pg_array_elements(r#"{"a":1}"#), None); // JSON
        assert_eq!(pg_array_elements("{}"), None); // also JSON
        assert_eq!(pg_array_elements("{\"unterminated}"), None);
        assert_eq!(pg_array_elements("plain"), None);
    }

    #[test]
    fn depth_is_bounded() {
        let deep = format!("{}1{}", "[".repeat(100), "]".repeat(100));
        let leaves = collect_leaves(&[deep.as_str()], TODAY);
        assert!(leaves.is_empty());
    }
}
