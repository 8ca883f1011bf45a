//! Qualified names.

use crate::Dialect;
use std::fmt;

/// A schema-qualified object name, normalized (see the module docs of [`crate::model`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct QualName {
    pub schema: String,
    pub name: String,
}

impl QualName {
    pub fn new(schema: impl Into<String>, name: impl Into<String>) -> Self {
        QualName {
            schema: schema.into(),
            name: name.into(),
        }
    }

    /// The same name in lower case (T-SQL lookup key).
    pub fn folded(&self) -> QualName {
        QualName::new(self.schema.to_lowercase(), self.name.to_lowercase())
    }

    /// `schema.name.column`, the form diagnostics name columns by.
    pub fn column(&self, column: &str) -> String {
        format!("{self}.{}", quote_ident(column))
    }

    /// The name as the dialect writes it: PostgreSQL quotes where needed (see [`Display`]),
    /// T-SQL brackets only names that are not plain identifiers.
    ///
    /// [`Display`]: std::fmt::Display
    pub fn display(&self, dialect: Dialect) -> String {
        match dialect {
            Dialect::Postgres => self.to_string(),
            Dialect::Tsql => format!(
                "{}.{}",
                bracket_ident(&self.schema),
                bracket_ident(&self.name)
            ),
        }
    }

    /// `schema.name.column` in the dialect's quoting.
    pub fn column_display(&self, column: &str, dialect: Dialect) -> String {
        match dialect {
            Dialect::Postgres => self.column(column),
            Dialect::Tsql => format!("{}.{}", self.display(dialect), bracket_ident(column)),
        }
    }
}

/// T-SQL: `[name]` when the name is not a plain identifier.
pub fn bracket_ident(ident: &str) -> String {
    let plain = ident
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && ident.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        ident.to_string()
    } else {
        format!("[{}]", ident.replace(']', "]]"))
    }
}

impl fmt::Display for QualName {
    /// Prints `schema.name`, quoting parts that need it so the text can be pasted into SQL.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{}",
            quote_ident(&self.schema),
            quote_ident(&self.name)
        )
    }
}

/// Quotes an identifier for PostgreSQL when it would not survive unquoted (upper case,
/// special characters, leading digit). Reserved words are handled by the SQL front-end.
pub fn quote_ident(ident: &str) -> String {
    let plain = !ident.is_empty()
        && ident
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && ident
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$');
    if plain {
        ident.to_string()
    } else {
        format!("\"{}\"", ident.replace('"', "\"\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_quotes_only_when_needed() {
        assert_eq!(
            QualName::new("public", "orders").to_string(),
            "public.orders"
        );
        assert_eq!(QualName::new("dbo", "Album").to_string(), "dbo.\"Album\"");
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
    }
}
