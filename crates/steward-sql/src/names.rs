//! Identifier normalization: how the server would store a name.

use sqlparser::ast::{Ident, ObjectName, ObjectNamePart};
use steward_core::model::QualName;
use steward_core::Dialect;

/// The stored form of an identifier: PostgreSQL folds unquoted names to lower case; T-SQL keeps
/// them as written (and compares case-insensitively).
pub fn ident(id: &Ident, dialect: Dialect) -> String {
    match (dialect, id.quote_style) {
        (Dialect::Postgres, None) => id.value.to_lowercase(),
        _ => id.value.clone(),
    }
}

/// The identifier parts of an object name, normalized.
pub fn parts(name: &ObjectName, dialect: Dialect) -> Vec<String> {
    name.0
        .iter()
        .map(|p| match p {
            ObjectNamePart::Identifier(i) => ident(i, dialect),
            ObjectNamePart::Function(f) => f.name.value.to_lowercase(),
        })
        .collect()
}

/// The last part of an object name (the bare name), normalized.
pub fn last(name: &ObjectName, dialect: Dialect) -> String {
    parts(name, dialect).pop().unwrap_or_default()
}

/// Resolves object names against a search path.
#[derive(Debug, Clone)]
pub struct Resolver {
    pub dialect: Dialect,
    /// Schemas unqualified names resolve to, first one first (`pg_catalog` excluded).
    pub search_path: Vec<String>,
}

impl Resolver {
    pub fn new(dialect: Dialect) -> Self {
        Resolver {
            dialect,
            search_path: vec![dialect.default_schema().to_string()],
        }
    }

    /// The schema new unqualified objects are created in.
    pub fn creation_schema(&self) -> String {
        self.search_path
            .first()
            .cloned()
            .unwrap_or_else(|| self.dialect.default_schema().to_string())
    }

    /// Qualifies a name for creating an object.
    pub fn qualify(&self, name: &ObjectName) -> QualName {
        self.qualify_parts(parts(name, self.dialect))
    }

    pub fn qualify_parts(&self, mut parts: Vec<String>) -> QualName {
        let name = parts.pop().unwrap_or_default();
        let schema = parts.pop().unwrap_or_else(|| self.creation_schema());
        QualName::new(schema, name)
    }

    /// Qualifies a name that refers to an existing object: an unqualified name resolves to the
    /// first schema on the search path where `exists` finds it, else to the creation schema.
    pub fn resolve(&self, name: &ObjectName, exists: impl Fn(&QualName) -> bool) -> QualName {
        let p = parts(name, self.dialect);
        if p.len() > 1 {
            return self.qualify_parts(p);
        }
        let bare = p.into_iter().next().unwrap_or_default();
        for schema in &self.search_path {
            let candidate = QualName::new(schema.clone(), bare.clone());
            if exists(&candidate) {
                return candidate;
            }
        }
        QualName::new(self.creation_schema(), bare)
    }

    /// Applies `SET search_path = …` values (already split into names).
    pub fn set_search_path(&mut self, values: Vec<String>) {
        let path: Vec<String> = values
            .into_iter()
            .map(|v| v.trim().trim_matches('\'').trim_matches('"').to_string())
            .filter(|v| !v.is_empty() && v != "pg_catalog" && v != "\"$user\"" && v != "$user")
            .collect();
        self.search_path = if path.is_empty() {
            vec![self.dialect.default_schema().to_string()]
        } else {
            path
        };
    }
}

/// Normalizes SQL text for comparison: lower case outside quotes, single spaces, no spaces
/// next to parentheses and commas, redundant outer parentheses and `::type` casts on
/// literals kept (they differ between DDL and catalogs only cosmetically).
pub fn normalize_sql(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_quote: Option<char> = None;
    let mut pending_space = false;
    for c in text.chars() {
        if let Some(q) = in_quote {
            out.push(c);
            if c == q {
                in_quote = None;
            }
            continue;
        }
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space {
            let prev = out.chars().last();
            let glue = matches!(prev, Some('(') | Some(',') | None) || matches!(c, ')' | ',' | '(');
            if !glue {
                out.push(' ');
            }
            pending_space = false;
        }
        if c == '\'' || c == '"' {
            in_quote = Some(c);
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
    }
    strip_outer_parens(&out).to_string()
}

fn strip_outer_parens(mut s: &str) -> &str {
    while s.starts_with('(') && s.ends_with(')') && balanced_inside(&s[1..s.len() - 1]) {
        s = &s[1..s.len() - 1];
    }
    s
}

fn balanced_inside(s: &str) -> bool {
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_for_comparison() {
        assert_eq!(normalize_sql("(lower( Email ))"), "lower(email)");
        assert_eq!(normalize_sql("deleted_at  IS NULL"), "deleted_at is null");
        assert_eq!(normalize_sql("a = 'X Y'"), "a = 'X Y'");
        assert_eq!(normalize_sql("(a) AND (b)"), "(a) and(b)");
    }
}
