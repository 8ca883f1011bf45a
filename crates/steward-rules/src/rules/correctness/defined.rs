//! Names a statement defines (tables, columns, views, indexes, routines, types), with their
//! identifier tokens as written: shared by the identifier-spelling rules.

use sqlparser::ast::{self as ast, Ident, ObjectName, ObjectNamePart};
use steward_core::model::QualName;
use steward_core::statement::{Parsed, Statement};
use steward_core::Dialect;
use steward_sql::names::Resolver;

/// One name a statement defines.
pub struct Defined<'a> {
    /// The identifier as written (its `quote_style` tells quoted from bare).
    pub ident: &'a Ident,
    /// What it names: `table`, `column`, `view`, `index`, `function`, `procedure`, `type`,
    /// `domain`, `attribute`.
    pub kind: &'static str,
    /// True when the identifier stands alone (an unqualified object name, a column): in
    /// PostgreSQL only those positions reject reserved words (`public.user` is accepted).
    pub alone: bool,
    /// The object for diagnostics, in the dialect's quoting, with the stored (folded) name.
    pub object: String,
}

/// The names `statement` defines.
pub fn defined_names(statement: &ast::Statement, dialect: Dialect) -> Vec<Defined<'_>> {
    let resolver = Resolver::new(dialect);
    let mut out = Vec::new();
    let object = |name: &'_ ObjectName| resolver.qualify(name);
    use ast::Statement as S;
    match statement {
        S::CreateTable(create) => {
            let table = object(&create.name);
            push_name(&mut out, &create.name, "table", &table, dialect);
            for column in &create.columns {
                push_column(&mut out, &column.name, &table, dialect);
            }
        }
        S::AlterTable(alter) => {
            let table = object(&alter.name);
            for op in &alter.operations {
                use ast::AlterTableOperation as Op;
                match op {
                    Op::AddColumn { column_def, .. } => {
                        push_column(&mut out, &column_def.name, &table, dialect)
                    }
                    Op::RenameColumn {
                        new_column_name, ..
                    } => push_column(&mut out, new_column_name, &table, dialect),
                    Op::RenameTable { table_name } => {
                        let n = match table_name {
                            ast::RenameTableNameKind::As(n) | ast::RenameTableNameKind::To(n) => n,
                        };
                        let renamed = QualName::new(
                            table.schema.clone(),
                            steward_sql::names::last(n, dialect),
                        );
                        push_name(&mut out, n, "table", &renamed, dialect);
                    }
                    _ => {}
                }
            }
        }
        S::CreateView(view) => {
            let name = object(&view.name);
            push_name(&mut out, &view.name, "view", &name, dialect);
            for c in &view.columns {
                push_column(&mut out, &c.name, &name, dialect);
            }
        }
        S::CreateIndex(index) => {
            if let Some(n) = &index.name {
                let table = object(&index.table_name);
                let q = QualName::new(table.schema, steward_sql::names::last(n, dialect));
                push_name(&mut out, n, "index", &q, dialect);
            }
        }
        S::CreateFunction(f) => {
            let name = object(&f.name);
            push_name(&mut out, &f.name, "function", &name, dialect);
        }
        S::CreateProcedure { name, .. } => {
            let q = object(name);
            push_name(&mut out, name, "procedure", &q, dialect);
        }
        S::CreateType {
            name,
            representation,
        } => {
            let q = object(name);
            push_name(&mut out, name, "type", &q, dialect);
            if let Some(ast::UserDefinedTypeRepresentation::Composite { attributes }) =
                representation
            {
                for a in attributes {
                    out.push(Defined {
                        ident: &a.name,
                        kind: "attribute",
                        alone: true,
                        object: q
                            .column_display(&steward_sql::names::ident(&a.name, dialect), dialect),
                    });
                }
            }
        }
        S::CreateDomain(d) => {
            let q = object(&d.name);
            push_name(&mut out, &d.name, "domain", &q, dialect);
        }
        _ => {}
    }
    out
}

fn push_name<'a>(
    out: &mut Vec<Defined<'a>>,
    name: &'a ObjectName,
    kind: &'static str,
    qualified: &QualName,
    dialect: Dialect,
) {
    if let Some(ObjectNamePart::Identifier(ident)) = name.0.last() {
        out.push(Defined {
            ident,
            kind,
            alone: name.0.len() == 1,
            object: qualified.display(dialect),
        });
    }
}

fn push_column<'a>(
    out: &mut Vec<Defined<'a>>,
    ident: &'a Ident,
    table: &QualName,
    dialect: Dialect,
) {
    out.push(Defined {
        ident,
        kind: "column",
        alone: true,
        object: table.column_display(&steward_sql::names::ident(ident, dialect), dialect),
    });
}

/// The statement's text with one identifier token replaced, when the token can be found
/// where the AST says it is.
pub fn replace_ident(statement: &Statement, ident: &Ident, with: &str) -> Option<String> {
    if matches!(statement.parsed, Parsed::Rewritten { .. }) {
        return None;
    }
    let span = ident.span;
    let start = byte_offset(&statement.text, span.start.line, span.start.column)?;
    let rest = statement.text.get(start..)?;
    if !rest.starts_with(ident.value.as_str()) {
        return None;
    }
    let end = start + ident.value.len();
    Some(format!(
        "{}{with}{}",
        &statement.text[..start],
        &statement.text[end..]
    ))
}

/// Byte offset of a 1-based (line, character column) position in `text`.
fn byte_offset(text: &str, line: u64, column: u64) -> Option<usize> {
    let mut offset = 0;
    for _ in 1..line {
        offset += text.get(offset..)?.find('\n')? + 1;
    }
    let line_text = text.get(offset..)?;
    let col = usize::try_from(column.checked_sub(1)?).ok()?;
    let within = match line_text.char_indices().nth(col) {
        Some((i, _)) => i,
        None if line_text.chars().count() == col => line_text.len(),
        None => return None,
    };
    Some(offset + within)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_count_characters() {
        assert_eq!(byte_offset("ab\ncd", 2, 2), Some(4));
        assert_eq!(byte_offset("äb", 1, 2), Some(2));
        assert_eq!(byte_offset("ab", 3, 1), None);
    }
}
