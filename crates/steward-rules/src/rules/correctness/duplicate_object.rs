use crate::prelude::*;
use sqlparser::ast::Statement as S;
use steward_core::model::{Index, Model, Origin};
use steward_core::Location;
use steward_sql::names::{self, Resolver};

declare_rule! {
    /// Finds a table, view or index created a second time while the first still exists.
    ///
    /// ## What it does
    /// Follows the files in order and reports `CREATE TABLE`, `CREATE VIEW` and `CREATE
    /// INDEX` of a name that already exists at that point — created earlier in the run and not
    /// dropped since — unless the statement says `IF NOT EXISTS`, `OR REPLACE` or `OR ALTER`.
    /// Tables and views share one namespace, so a view named like a table counts; in
    /// PostgreSQL an index named like a table does too. SQL Server index names are per table.
    ///
    /// ## Why it matters
    /// The second statement fails (`relation "orders" already exists`), stopping the
    /// migration or schema script there. When the two definitions differ — the usual story
    /// after a merge of two branches — which one is "the" schema depends on which statement ran
    /// first, and the other change is silently lost on databases where it did not fail.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE orders (id bigint PRIMARY KEY);
    /// CREATE TABLE orders (id bigint PRIMARY KEY, status text);
    /// ```
    ///
    /// ## Fix
    /// Keep one definition and change the existing object instead of re-creating it:
    /// ```sql
    /// CREATE TABLE orders (id bigint PRIMARY KEY);
    /// ALTER TABLE orders ADD COLUMN status text;
    /// ```
    pub struct DuplicateObject {
        id: "duplicate-object",
        category: Correctness,
        severity: Error,
        dialects: [Postgres, Tsql],
        scope: Statement,
    }
}

impl Rule for DuplicateObject {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_statement(&self, ctx: &StatementCtx, out: &mut Vec<Diagnostic>) {
        let Some(ast) = ctx.statement.ast() else {
            return;
        };
        let dialect = ctx.dialect();
        let resolver = Resolver::new(dialect);
        let before = ctx.before;
        match ast {
            S::CreateTable(create) if !create.if_not_exists => {
                let name = resolver.qualify(&create.name);
                if name.name.starts_with('#') || ambiguous(ctx, &create.name, &name) {
                    return;
                }
                if let Some(first) = relation_origin(before, &name) {
                    out.push(finding(ctx, "table", &name, first, &create.name, None));
                }
            }
            S::CreateView(view) if !view.or_replace && !view.or_alter && !view.if_not_exists => {
                let name = resolver.qualify(&view.name);
                if ambiguous(ctx, &view.name, &name) {
                    return;
                }
                if let Some(first) = relation_origin(before, &name) {
                    let keyword = match dialect {
                        Dialect::Postgres => " OR REPLACE",
                        Dialect::Tsql => " OR ALTER",
                    };
                    // Replacing is only a fix when the existing object is a view.
                    let fix = before
                        .view(&name)
                        .filter(|v| !v.materialized && !view.materialized)
                        .and_then(|_| {
                            insert_after_keyword(ctx.statement.text.trim(), "CREATE", keyword)
                        });
                    out.push(finding(ctx, "view", &name, first, &view.name, fix));
                }
            }
            S::CreateIndex(index) if !index.if_not_exists => {
                let Some(index_name) = &index.name else {
                    return;
                };
                let table = resolver.resolve(&index.table_name, |q| before.has_relation(q));
                let bare = names::last(index_name, dialect);
                let name = QualName::new(table.schema.clone(), bare.clone());
                let same_table = |i: &&Index| before.same_name(&i.table, &table);
                let existing = before.indexes.iter().find(|i| {
                    i.name.name.eq_ignore_ascii_case(&bare)
                        && (dialect == Dialect::Postgres && before.same_name(&i.name, &name)
                            || dialect == Dialect::Tsql && same_table(i) && !invented_tsql_name(i))
                });
                if let Some(existing) = existing {
                    // Re-creating the very same index: IF NOT EXISTS makes the script re-runnable.
                    let keys: Vec<_> = index
                        .columns
                        .iter()
                        .map(|c| normalize(&c.column.expr.to_string()))
                        .collect();
                    let same = same_table(&existing)
                        && existing.keys.len() == keys.len()
                        && existing.keys.iter().zip(&keys).all(|(k, c)| {
                            k.column_name().is_some_and(|n| n.eq_ignore_ascii_case(c))
                        });
                    let fix = (same && dialect == Dialect::Postgres)
                        .then(|| {
                            let after = if index.concurrently {
                                "CONCURRENTLY"
                            } else {
                                "INDEX"
                            };
                            insert_after_keyword(ctx.statement.text.trim(), after, " IF NOT EXISTS")
                        })
                        .flatten();
                    out.push(finding(
                        ctx,
                        "index",
                        &name,
                        ("index", &existing.origin),
                        index_name,
                        fix,
                    ));
                } else if dialect == Dialect::Postgres {
                    // PostgreSQL indexes share the namespace of tables and views.
                    if let Some(first) = relation_origin(before, &name) {
                        out.push(finding(ctx, "index", &name, first, index_name, None));
                    }
                }
            }
            _ => {}
        }
    }
}

fn normalize(column: &str) -> String {
    column
        .trim_matches(|c| c == '"' || c == '[' || c == ']')
        .to_string()
}

/// SQL Server names unnamed PRIMARY KEY / UNIQUE constraints itself (`PK__Album__…`); the
/// model invents `<table>_<columns>` for them, which must not be mistaken for a real name.
fn invented_tsql_name(index: &Index) -> bool {
    index.constraint.is_none()
        && index.name.name
            == format!(
                "{}_{}",
                index.table.name,
                index
                    .keys
                    .iter()
                    .filter_map(|k| k.column_name())
                    .collect::<Vec<_>>()
                    .join("_")
            )
}

/// Where an existing table, view or sequence of this name was defined.
fn relation_origin<'m>(model: &'m Model, name: &QualName) -> Option<(&'static str, &'m Origin)> {
    model
        .table(name)
        .map(|t| ("table", &t.origin))
        .or_else(|| model.view(name).map(|v| ("view", &v.origin)))
        .or_else(|| {
            model
                .sequences
                .get(&model.key(name))
                .map(|s| ("sequence", &s.origin))
        })
}

/// An unqualified name lands in the first schema of the search path, which this rule cannot
/// see: when the run has a relation of that name in another schema, stay quiet.
fn ambiguous(ctx: &StatementCtx, written: &sqlparser::ast::ObjectName, name: &QualName) -> bool {
    if written.0.len() > 1 || !ctx.before.has_relation(name) {
        return false;
    }
    let key = ctx.after_all.key(name);
    ctx.after_all
        .tables
        .keys()
        .chain(ctx.after_all.views.keys())
        .any(|k| k.name == key.name && k.schema != key.schema)
}

fn finding(
    ctx: &StatementCtx,
    kind: &str,
    name: &QualName,
    first: (&str, &Origin),
    written: &sqlparser::ast::ObjectName,
    fix: Option<String>,
) -> Diagnostic {
    let dialect = ctx.dialect();
    let shown = name.display(dialect);
    let (first_kind, first) = first;
    let first_at = first
        .location()
        .map(|l: &Location| format!(" (created at {}:{})", l.path, l.span.start.line))
        .unwrap_or_default();
    let error = match dialect {
        Dialect::Postgres => "relation already exists",
        Dialect::Tsql => "there is already an object named … in the database",
    };
    let mut d = DuplicateObject::META
        .diag(if first_kind == kind {
            format!("{kind} {shown} is created again while it exists{first_at}")
        } else {
            format!("{kind} {shown} takes the name of an existing {first_kind}{first_at}")
        })
        .at(Some(ctx.locate(written)))
        .object(shown)
        .help(format!(
            "this statement fails ({error}) and stops the script; remove one definition, change the existing object with ALTER, or DROP it first if replacing it is the intent"
        ));
    if let Some(fix) = fix {
        d = d.fix(fix);
    }
    d
}
