use crate::prelude::*;
use sqlparser::ast::{self as ast, ColumnOption, ObjectName, TableConstraint};
use std::collections::HashSet;
use steward_core::model::Model;
use steward_sql::names::Resolver;

declare_rule! {
    /// Finds references to a table or view that is only created later in the same run.
    ///
    /// ## What it does
    /// Follows the files in order (a migrations folder is linted as one history) and reports
    /// a statement that needs a table or view which does not exist yet but is created further
    /// down: a foreign key's `REFERENCES`, `CREATE INDEX … ON`, `ALTER TABLE`, `LIKE` /
    /// `INHERITS` / `PARTITION OF`, and the `FROM` of a view or a query. Objects created in an
    /// earlier file or statement, and objects the run never creates (they already exist in
    /// the database), are not reported. Routine bodies are not checked: PL/pgSQL and T-SQL
    /// procedures resolve names when they run.
    ///
    /// ## Why it matters
    /// The server runs the statements in order, so this one fails with `relation … does not
    /// exist` and the migration stops halfway (outside a transaction, leaving a schema that
    /// matches neither version). It usually works on the author's database, where the table
    /// already exists from an earlier run, and breaks on a fresh CI database or on the next
    /// environment.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id));
    /// CREATE TABLE customers (id bigint PRIMARY KEY);
    /// ```
    ///
    /// ## Fix
    /// Create the referenced object first:
    /// ```sql
    /// CREATE TABLE customers (id bigint PRIMARY KEY);
    /// CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id));
    /// ```
    pub struct ObjectUsedBeforeCreation {
        id: "object-used-before-creation",
        category: Correctness,
        severity: Error,
        dialects: [Postgres, Tsql],
        scope: Statement,
    }
}

impl Rule for ObjectUsedBeforeCreation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_statement(&self, ctx: &StatementCtx, out: &mut Vec<Diagnostic>) {
        let dialect = ctx.dialect();
        let resolver = Resolver::new(dialect);
        // Rows of a data dump are kept as text: only their target table is known.
        let (created, references, ctes) = match ctx.statement.ast() {
            Some(ast) => {
                let (created, references) = references(ast);
                (created, references, cte_names(ast))
            }
            None => match steward_sql::parse::data_load_target(ctx.statement) {
                Some(target) => (None, vec![(target, "INSERT INTO")], HashSet::new()),
                None => return,
            },
        };
        let created = created.map(|n| ctx.before.key(&resolver.qualify(n)));
        let mut reported = HashSet::new();
        for (name, what) in &references {
            if name.0.len() == 1
                && ctes.contains(&steward_sql::names::last(name, dialect).to_lowercase())
            {
                continue;
            }
            let q = resolver.resolve(name, |q| {
                ctx.before.has_relation(q) || ctx.after_all.has_relation(q)
            });
            // A statement may refer to the table it creates (a self-referencing key).
            if created.as_ref() == Some(&ctx.before.key(&q)) {
                continue;
            }
            let Some(later) = ctx.created_later(&q) else {
                continue;
            };
            // Unqualified names follow the search path, which this rule cannot see: stay
            // quiet when a relation of that name already exists in some schema.
            if name.0.len() == 1 && exists_in_any_schema(ctx.before, &q.name) {
                continue;
            }
            if !reported.insert(ctx.before.key(&q)) {
                continue;
            }
            let shown = q.display(dialect);
            let error = match dialect {
                Dialect::Postgres => "relation does not exist",
                Dialect::Tsql => "invalid object name",
            };
            let created_at = format!("{}:{}", later.path, later.span.start.line);
            out.push(
                ObjectUsedBeforeCreation::META
                    .diag(format!(
                        "{what} {shown} before it is created (at {created_at})"
                    ))
                    .at(Some(ctx.locate(name)))
                    .object(shown)
                    .help(format!(
                        "the server runs statements in order, so this one fails ({error}) on a fresh database even if it works where the object already exists; move the CREATE at {created_at} before it"
                    )),
            );
        }
    }
}

/// The relation the statement creates (if any) and the relations it needs, with a word on how
/// each is used.
fn references(
    statement: &ast::Statement,
) -> (Option<&ObjectName>, Vec<(ObjectName, &'static str)>) {
    use ast::Statement as S;
    let mut refs: Vec<(ObjectName, &'static str)> = Vec::new();
    let mut created = None;
    match statement {
        S::CreateTable(create) => {
            created = Some(&create.name);
            for column in &create.columns {
                for option in &column.options {
                    if let ColumnOption::ForeignKey(fk) = &option.option {
                        refs.push((fk.foreign_table.clone(), "foreign key references"));
                    }
                }
            }
            for constraint in &create.constraints {
                if let TableConstraint::ForeignKey(fk) = constraint {
                    refs.push((fk.foreign_table.clone(), "foreign key references"));
                }
            }
            if let Some(parent) = &create.partition_of {
                refs.push((parent.clone(), "partition of"));
            }
            for parent in create.inherits.iter().flatten() {
                refs.push((parent.clone(), "inherits from"));
            }
            if let Some(like) = &create.like {
                let name = match like {
                    ast::CreateTableLikeKind::Parenthesized(l)
                    | ast::CreateTableLikeKind::Plain(l) => &l.name,
                };
                refs.push((name.clone(), "copies the columns of"));
            }
            if let Some(query) = &create.query {
                for_each_relation(query.as_ref(), |n| {
                    refs.push((n.clone(), "CREATE TABLE AS reads"))
                });
            }
        }
        S::AlterTable(alter) => {
            refs.push((alter.name.clone(), "ALTER TABLE of"));
            for op in &alter.operations {
                if let ast::AlterTableOperation::AddConstraint {
                    constraint: TableConstraint::ForeignKey(fk),
                    ..
                } = op
                {
                    refs.push((fk.foreign_table.clone(), "foreign key references"));
                }
            }
        }
        S::CreateIndex(index) => refs.push((index.table_name.clone(), "CREATE INDEX on")),
        S::CreateView(view) => {
            created = Some(&view.name);
            for_each_relation(view.query.as_ref(), |n| {
                refs.push((n.clone(), "view reads"))
            });
        }
        S::Query(_) | S::Insert(_) | S::Update(_) | S::Delete(_) | S::Merge(_) => {
            for_each_relation(statement, |n| refs.push((n.clone(), "statement uses")));
        }
        _ => {}
    }
    (created, refs)
}

/// Lower-case names of every CTE of the statement (they shadow tables).
fn cte_names(statement: &ast::Statement) -> HashSet<String> {
    let mut names = HashSet::new();
    for_each_query(statement, |q| {
        if let Some(with) = &q.with {
            for cte in &with.cte_tables {
                names.insert(cte.alias.name.value.to_lowercase());
            }
        }
    });
    names
}

/// Whether a table or view with this bare name exists in any schema (a scan, only done for
/// the rare reference that would be reported).
fn exists_in_any_schema(model: &Model, bare: &str) -> bool {
    model
        .tables
        .keys()
        .chain(model.views.keys())
        .any(|k| k.name.eq_ignore_ascii_case(bare))
}
