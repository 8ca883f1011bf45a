//! Choosing the tables a pattern covers, and facts about them.

use crate::{GenerateError, Options};
use steward_core::model::{Column, ConstraintKind, Model, Table, TableKind};
use steward_rules::rules::privacy::pii::{classify_column, Pii};

/// Schemas steward's own generators create; their tables are never covered by a pattern.
pub const OWN_SCHEMAS: &[&str] = &["audit", "consent", "privacy"];

/// Whether a table belongs to the user's application (not a system catalog, not a partition
/// — patterns go on the parent — and not one of steward's own tables).
pub fn is_user_table(table: &Table) -> bool {
    let schema = table.name.schema.as_str();
    table.partition_of.is_none()
        && matches!(
            table.kind,
            TableKind::Ordinary | TableKind::Partitioned | TableKind::Unlogged
        )
        && !schema.starts_with("pg_")
        && schema != "information_schema"
        && !OWN_SCHEMAS.contains(&schema)
}

/// Finds a table by `name` or `schema.name` (unquoted names fold to lower case).
pub fn find<'m>(model: &'m Model, wanted: &str) -> Result<&'m Table, GenerateError> {
    let fold = |s: &str| {
        let s = s.trim();
        if let Some(q) = s.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
            q.replace("\"\"", "\"")
        } else {
            s.to_lowercase()
        }
    };
    let (schema, name) = match wanted.split_once('.') {
        Some((s, n)) => (Some(fold(s)), fold(n)),
        None => (None, fold(wanted)),
    };
    let mut found = model
        .tables
        .values()
        .filter(|t| t.name.name == name && schema.as_ref().is_none_or(|s| &t.name.schema == s));
    let first = found
        .next()
        .ok_or_else(|| GenerateError::UnknownTable(wanted.to_string()))?;
    if found.next().is_some() {
        return Err(GenerateError::NotApplicable(format!(
            "`{wanted}` names tables in several schemas; write it as schema.table"
        )));
    }
    Ok(first)
}

/// The tables the user named, or every user table when none was named.
pub fn selected<'m>(model: &'m Model, options: &Options) -> Result<Vec<&'m Table>, GenerateError> {
    if options.tables.is_empty() {
        return Ok(model.tables.values().filter(|t| is_user_table(t)).collect());
    }
    options.tables.iter().map(|t| find(model, t)).collect()
}

/// Primary-key columns, if the table has a primary key.
pub fn primary_key(table: &Table) -> Option<Vec<String>> {
    table.primary_key().map(|c| c.columns.clone())
}

/// The personal-data classification of a column, if any.
pub fn pii(table: &Table, column: &Column) -> Option<Pii> {
    classify_column(&table.name.name, &column.name, column.data_type.as_ref())
}

/// A foreign key as an edge of the schema's graph: `child.columns → parent.ref_columns`.
#[derive(Debug, Clone)]
pub struct Edge {
    pub child: steward_core::model::QualName,
    pub columns: Vec<String>,
    pub parent: steward_core::model::QualName,
    pub ref_columns: Vec<String>,
    pub nullable: bool,
}

/// Every foreign key between known tables, with referenced columns resolved (an FK that
/// names no columns references the primary key).
pub fn edges(model: &Model) -> Vec<Edge> {
    let mut out = Vec::new();
    for table in model.tables.values() {
        for c in &table.constraints {
            let ConstraintKind::ForeignKey(fk) = &c.kind else {
                continue;
            };
            let Some(parent) = model.table(&fk.ref_table) else {
                continue;
            };
            let ref_columns = if fk.ref_columns.is_empty() {
                match primary_key(parent) {
                    Some(pk) => pk,
                    None => continue,
                }
            } else {
                fk.ref_columns.clone()
            };
            let columns = if c.columns.is_empty() {
                fk.columns.clone()
            } else {
                c.columns.clone()
            };
            let nullable = columns.iter().all(|col| {
                table.column(col).is_some_and(|c| !c.not_null)
                    && !table
                        .primary_key()
                        .is_some_and(|pk| pk.columns.iter().any(|p| p == col))
            });
            out.push(Edge {
                child: table.name.clone(),
                columns,
                parent: parent.name.clone(),
                ref_columns,
                nullable,
            });
        }
    }
    out
}

/// Whether some index (or unique/PK constraint) on the table starts with these columns.
pub fn has_leading_index(model: &Model, table: &Table, columns: &[String]) -> bool {
    let leads = |keys: &[&str]| {
        keys.len() >= columns.len() && keys.iter().zip(columns).all(|(k, c)| *k == c.as_str())
    };
    model
        .indexes_on(&table.name)
        .any(|i| i.predicate.is_none() && leads(&i.leading_columns()))
        || table.constraints.iter().any(|c| {
            c.is_unique_or_pk() && leads(&c.columns.iter().map(String::as_str).collect::<Vec<_>>())
        })
}
