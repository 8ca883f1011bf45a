//! What a SELECT block's FROM clause brings into scope, so predicate rules can tell columns from
//! parameters and PL/pgSQL variables, and name the table a fix applies to.

use crate::util::resolve_table;
use sqlparser::ast::{Expr, Select, TableFactor, TableWithJoins};
use steward_core::model::{Model, QualName};

/// A relation of a FROM clause.
pub struct Source {
    /// The name the query uses for it: its alias, else its bare name (lower case).
    pub qualifier: String,
    pub table: QualName,
    /// Its columns, when the model knows them.
    pub columns: Option<Vec<String>>,
}

/// The plain tables (with joins) of a SELECT block.
pub fn sources(select: &Select, model: &Model) -> Vec<Source> {
    from_sources(&select.from, model)
}

/// The plain tables of a FROM list (with joins).
pub fn from_sources(from: &[TableWithJoins], model: &Model) -> Vec<Source> {
    let mut out = Vec::new();
    for twj in from {
        for factor in std::iter::once(&twj.relation).chain(twj.joins.iter().map(|j| &j.relation)) {
            if let TableFactor::Table {
                name,
                alias,
                args: None,
                ..
            } = factor
            {
                let table = resolve_table(model, name);
                let qualifier = alias
                    .as_ref()
                    .map(|a| a.name.value.to_lowercase())
                    .unwrap_or_else(|| table.name.to_lowercase());
                let columns = model
                    .table(&table)
                    .filter(|t| t.columns_known)
                    .map(|t| t.columns.iter().map(|c| c.name.to_lowercase()).collect());
                out.push(Source {
                    qualifier,
                    table,
                    columns,
                });
            }
        }
    }
    out
}

/// The source a column reference belongs to, if it is one. With unknown column lists, an
/// unqualified name counts as a column of the only source (never of several).
pub fn column_source<'a>(expr: &Expr, sources: &'a [Source]) -> Option<(&'a Source, String)> {
    match expr {
        Expr::Identifier(id) => {
            let name = id.value.to_lowercase();
            let known: Vec<&Source> = sources
                .iter()
                .filter(|s| s.columns.as_ref().is_some_and(|c| c.contains(&name)))
                .collect();
            match (known.as_slice(), sources) {
                ([one], _) => Some((one, id.value.clone())),
                ([], [only]) if only.columns.is_none() => Some((only, id.value.clone())),
                _ => None,
            }
        }
        Expr::CompoundIdentifier(parts) if parts.len() >= 2 => {
            let qualifier = parts[parts.len() - 2].value.to_lowercase();
            let column = parts[parts.len() - 1].value.clone();
            let source = sources.iter().find(|s| s.qualifier == qualifier)?;
            let is_column = source
                .columns
                .as_ref()
                .is_none_or(|c| c.contains(&column.to_lowercase()));
            is_column.then_some((source, column))
        }
        Expr::Nested(e) => column_source(e, sources),
        _ => None,
    }
}

/// Whether an expression mentions any column of the sources.
pub fn mentions_column(expr: &Expr, sources: &[Source]) -> bool {
    let mut found = false;
    crate::util::for_each_expr(expr, |e| {
        if !found && column_source(e, sources).is_some() {
            found = true;
        }
    });
    found
}
