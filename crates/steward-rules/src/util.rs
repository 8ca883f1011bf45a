//! Helpers shared by rules: walking ASTs, naming objects, writing fixes.

use sqlparser::ast::{self as ast, Expr, ObjectName, Select, Visit, Visitor};
use std::ops::ControlFlow;
use steward_core::model::{quote_ident, Model, QualName};
use steward_core::{Diagnostic, Dialect};

/// Calls `f` on every SELECT block of a statement, subqueries and CTEs included.
pub fn for_each_select(node: &impl Visit, mut f: impl FnMut(&Select)) {
    struct V<F>(F);
    impl<F: FnMut(&Select)> Visitor for V<F> {
        type Break = ();
        fn pre_visit_select(&mut self, select: &Select) -> ControlFlow<()> {
            (self.0)(select);
            ControlFlow::Continue(())
        }
    }
    let _ = node.visit(&mut V(&mut f));
}

/// Calls `f` on every query (the top one, subqueries, CTE bodies).
pub fn for_each_query(node: &impl Visit, mut f: impl FnMut(&ast::Query)) {
    struct V<F>(F);
    impl<F: FnMut(&ast::Query)> Visitor for V<F> {
        type Break = ();
        fn pre_visit_query(&mut self, q: &ast::Query) -> ControlFlow<()> {
            (self.0)(q);
            ControlFlow::Continue(())
        }
    }
    let _ = node.visit(&mut V(&mut f));
}

/// Calls `f` on every expression, depth first.
pub fn for_each_expr(node: &impl Visit, mut f: impl FnMut(&Expr)) {
    let _ = ast::visit_expressions(node, |e| {
        f(e);
        ControlFlow::<()>::Continue(())
    });
}

/// Calls `f` on every table name referenced (FROM, JOIN, INSERT INTO, UPDATE, …).
pub fn for_each_relation(node: &impl Visit, mut f: impl FnMut(&ObjectName)) {
    let _ = ast::visit_relations(node, |r| {
        f(r);
        ControlFlow::<()>::Continue(())
    });
}

/// The lower-case bare name of a function call (`pg_catalog.lower` → `lower`).
pub fn function_name(f: &ast::Function) -> String {
    f.name
        .0
        .last()
        .map(|p| match p {
            ast::ObjectNamePart::Identifier(i) => i.value.to_lowercase(),
            ast::ObjectNamePart::Function(f) => f.name.value.to_lowercase(),
        })
        .unwrap_or_default()
}

/// Positional argument expressions of a function call.
pub fn function_args(f: &ast::Function) -> Vec<&Expr> {
    match &f.args {
        ast::FunctionArguments::List(list) => list
            .args
            .iter()
            .filter_map(|a| match a {
                ast::FunctionArg::Unnamed(ast::FunctionArgExpr::Expr(e))
                | ast::FunctionArg::Named {
                    arg: ast::FunctionArgExpr::Expr(e),
                    ..
                }
                | ast::FunctionArg::ExprNamed {
                    arg: ast::FunctionArgExpr::Expr(e),
                    ..
                } => Some(e),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// A string literal's value.
pub fn string_literal(e: &Expr) -> Option<&str> {
    match e {
        Expr::Value(v) => match &v.value {
            ast::Value::SingleQuotedString(s)
            | ast::Value::EscapedStringLiteral(s)
            | ast::Value::NationalStringLiteral(s)
            | ast::Value::DollarQuotedString(ast::DollarQuotedString { value: s, .. }) => Some(s),
            _ => None,
        },
        Expr::Cast { expr, .. } | Expr::Nested(expr) => string_literal(expr),
        _ => None,
    }
}

/// Resolves a name in a query to a table of the model (search path: the model's default
/// schema), if the model knows it.
pub fn resolve_table(model: &Model, name: &ObjectName) -> QualName {
    let resolver = steward_sql::names::Resolver::new(model.dialect);
    resolver.resolve(name, |q| model.has_relation(q))
}

/// `schema.table.column` for messages, quoted where SQL needs it.
pub fn column_object(table: &QualName, column: &str) -> String {
    table.column(column)
}

/// A comma-separated, quoted column list for generated SQL.
pub fn column_list(columns: &[String]) -> String {
    columns
        .iter()
        .map(|c| quote_ident(c))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Plural helper for messages.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Inserts `insert` right after the first occurrence of the keyword `keyword` (a word token,
/// not part of a name or string) in `sql`.
pub fn insert_after_keyword(sql: &str, keyword: &str, insert: &str) -> Option<String> {
    let tokens = steward_sql::lex::lex(sql, steward_core::Dialect::Postgres, false).ok()?;
    let at = tokens.iter().find(|t| t.is_word(keyword))?.range.end;
    Some(format!("{}{insert}{}", &sql[..at], &sql[at..]))
}

/// An identifier as the dialect writes it in generated SQL.
pub fn ident(name: &str, dialect: Dialect) -> String {
    match dialect {
        Dialect::Postgres => quote_ident(name),
        Dialect::Tsql => steward_core::model::bracket_ident(name),
    }
}

/// A column list in the dialect's quoting.
pub fn idents(names: &[String], dialect: Dialect) -> String {
    names
        .iter()
        .map(|n| ident(n, dialect))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The lower-case words of an identifier: `customerEmail`, `customer_email` and
/// `CustomerEMail` all give `["customer", "email"]`. Name-based rules match on whole words so
/// `address_id` is not an address and `ip_count` is not an IP address.
pub fn name_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        let boundary = c.is_uppercase()
            && !current.is_empty()
            && (chars[i - 1].is_lowercase()
                || chars[i - 1].is_ascii_digit()
                || chars.get(i + 1).is_some_and(|n| n.is_lowercase()));
        if boundary {
            words.push(std::mem::take(&mut current));
        }
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Drops repeated findings among `out[start..]` (same location and message): walkers that visit
/// a subquery both on its own and as part of its parent would report it twice.
pub fn dedupe_from(out: &mut Vec<Diagnostic>, start: usize) {
    let mut seen = std::collections::HashSet::new();
    let mut i = start;
    while i < out.len() {
        let key = (out[i].location.clone(), out[i].message.clone());
        if seen.insert(key) {
            i += 1;
        } else {
            out.remove(i);
        }
    }
}

/// The location of a byte range of a routine's body text, when the body came from a file.
pub fn body_location(
    body: &str,
    origin: &steward_core::model::Origin,
    range: std::ops::Range<usize>,
) -> Option<steward_core::Location> {
    let start = origin.location()?;
    let at = |offset: usize| {
        let mut offset = offset.min(body.len());
        while !body.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &body[..offset];
        let line = before.matches('\n').count() as u32 + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
        steward_core::Position::new(line, column).offset_by(start.span.start)
    };
    Some(steward_core::Location {
        path: start.path.clone(),
        span: steward_core::Span::new(at(range.start), at(range.end)),
    })
}

#[cfg(test)]
mod tests {
    use super::name_words;

    #[test]
    fn words_of_identifiers() {
        assert_eq!(name_words("customer_email"), ["customer", "email"]);
        assert_eq!(name_words("customerEmail"), ["customer", "email"]);
        assert_eq!(name_words("CustomerEMail"), ["customer", "e", "mail"]);
        assert_eq!(name_words("HTTPStatus2xx"), ["http", "status2xx"]);
        assert_eq!(name_words("UnitPrice"), ["unit", "price"]);
        assert_eq!(name_words("last_update"), ["last", "update"]);
    }
}
