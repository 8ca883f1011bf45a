//! Applying statements, in order, to the model.
//!
//! Files are a history: a migrations folder sorted by name is applied statement by statement,
//! so the model after statement *n* is the schema as it stood then. Rules that care about the
//! state before a statement (migration safety) look at the model before [`Lowerer::apply`].

mod routine;
mod security;
mod table;

use crate::names::{self, Resolver};
use sqlparser::ast::{self as ast, Expr, ObjectName, Spanned};
use steward_core::model::{Model, Origin, QualName};
use steward_core::statement::Statement;
use steward_core::Dialect;

/// Builds a model from statements.
#[derive(Debug, Clone)]
pub struct Lowerer {
    pub model: Model,
    pub resolver: Resolver,
}

/// The statement being applied, for origins.
pub(crate) struct Ctx<'a> {
    pub stmt: &'a Statement,
}

impl Ctx<'_> {
    /// Origin for a node of the statement (falls back to the whole statement).
    pub fn origin(&self, span: sqlparser::tokenizer::Span) -> Origin {
        Origin::File {
            location: self.stmt.locate(span),
            file_index: self.stmt.file_index,
        }
    }

    pub fn statement_origin(&self) -> Origin {
        Origin::File {
            location: self.stmt.location.clone(),
            file_index: self.stmt.file_index,
        }
    }
}

impl Lowerer {
    pub fn new(dialect: Dialect) -> Self {
        Lowerer {
            model: Model::new(dialect),
            resolver: Resolver::new(dialect),
        }
    }

    pub fn dialect(&self) -> Dialect {
        self.model.dialect
    }

    /// Builds the model of a list of statements.
    pub fn build<'a>(
        dialect: Dialect,
        statements: impl IntoIterator<Item = &'a Statement>,
    ) -> Model {
        let mut lowerer = Lowerer::new(dialect);
        for s in statements {
            lowerer.apply(s);
        }
        lowerer.model
    }

    /// Starts a new file: the search path resets, as each file is a new session.
    pub fn start_file(&mut self) {
        self.resolver = Resolver::new(self.dialect());
    }

    /// Applies one statement.
    pub fn apply(&mut self, stmt: &Statement) {
        let Some(statement) = stmt.ast() else {
            return;
        };
        let ctx = Ctx { stmt };
        use ast::Statement as S;
        match statement {
            S::CreateTable(create) => self.create_table(&ctx, create),
            S::AlterTable(alter) => self.alter_table(&ctx, alter),
            S::CreateIndex(create) => self.create_index(&ctx, create),
            S::AlterIndex { name, operation } => self.alter_index(name, operation),
            S::CreateView(view) => self.create_view(&ctx, view),
            S::AlterView(alter) => self.alter_view(alter),
            S::CreateSequence {
                name,
                sequence_options,
                ..
            } => self.create_sequence(&ctx, name, sequence_options),
            S::Drop {
                object_type,
                names,
                table,
                ..
            } => self.drop(*object_type, names, table.as_ref()),
            S::CreateFunction(f) => self.create_function(&ctx, f),
            S::CreateProcedure {
                name, params, body, ..
            } => self.create_tsql_procedure(&ctx, name, params.as_ref(), body),
            S::AlterFunction(a) => self.alter_function(a),
            S::DropFunction(d) => self.drop_functions(&d.func_desc),
            S::DropProcedure { proc_desc, .. } => self.drop_functions(proc_desc),
            S::CreateTrigger(t) => self.create_trigger(&ctx, t),
            S::DropTrigger(d) => self.drop_trigger(d),
            S::CreateType {
                name,
                representation,
            } => self.create_type(&ctx, name, representation.as_ref()),
            S::CreateDomain(d) => self.create_domain(&ctx, d),
            S::CreateRole(r) => self.create_role(&ctx, r),
            S::AlterRole { name, operation } => self.alter_role(name, operation),
            S::Grant(g) => self.grant(&ctx, g),
            S::Revoke(r) => self.revoke(r),
            S::GrantRole(g) => self.grant_role(g),
            S::AlterDefaultPrivileges(a) => self.default_privileges(&ctx, a),
            S::CreatePolicy(p) => self.create_policy(&ctx, p),
            S::AlterPolicy(p) => self.alter_policy(p),
            S::DropPolicy(p) => self.drop_policy(p),
            S::CreateExtension(e) => self.create_extension(&ctx, e),
            S::DropExtension(e) => {
                for name in &e.names {
                    self.model
                        .extensions
                        .shift_remove(&names::ident(name, self.dialect()));
                }
            }
            S::CreateSchema { schema_name, .. } => self.create_schema(&ctx, schema_name),
            S::Comment {
                object_type,
                object_name,
                comment,
                ..
            } => self.comment(*object_type, object_name, comment.clone()),
            S::Set(set) => self.set(set),
            S::Query(query) => self.select_set_config(query),
            _ => {}
        }
    }

    /// `SET search_path = a, b`.
    fn set(&mut self, set: &ast::Set) {
        if let ast::Set::SingleAssignment {
            variable, values, ..
        } = set
        {
            if names::last(variable, Dialect::Postgres) == "search_path" {
                let values = values.iter().map(expr_name).collect();
                self.resolver.set_search_path(values);
            }
        }
    }

    /// pg_dump's `SELECT pg_catalog.set_config('search_path', '', false);`.
    fn select_set_config(&mut self, query: &ast::Query) {
        let text = query.to_string().to_ascii_lowercase();
        if !text.contains("set_config") || !text.contains("'search_path'") {
            return;
        }
        if let Some(value) = text
            .split("'search_path',")
            .nth(1)
            .and_then(|rest| rest.trim().strip_prefix('\''))
            .and_then(|rest| rest.split('\'').next())
        {
            self.resolver
                .set_search_path(value.split(',').map(str::to_string).collect());
        }
    }

    fn create_schema(&mut self, ctx: &Ctx, name: &ast::SchemaName) {
        let (name, owner) = match name {
            ast::SchemaName::Simple(n) => (names::last(n, self.dialect()), None),
            ast::SchemaName::UnnamedAuthorization(owner) => {
                let o = names::ident(owner, self.dialect());
                (o.clone(), Some(o))
            }
            ast::SchemaName::NamedAuthorization(n, owner) => (
                names::last(n, self.dialect()),
                Some(names::ident(owner, self.dialect())),
            ),
        };
        self.model.schemas.insert(
            name.clone(),
            steward_core::model::Schema {
                name,
                owner,
                comment: None,
                origin: ctx.statement_origin(),
            },
        );
    }

    fn comment(&mut self, object: ast::CommentObject, name: &ObjectName, comment: Option<String>) {
        use ast::CommentObject as C;
        match object {
            C::Table | C::ForeignTable => {
                let q = self.resolve_relation(name);
                if let Some(t) = self.model.table_mut(&q) {
                    t.comment = comment;
                }
            }
            C::View | C::MaterializedView => {
                let q = self.resolve_relation(name);
                let key = self.model.key(&q);
                if let Some(v) = self.model.views.get_mut(&key) {
                    v.comment = comment;
                }
            }
            C::Column => {
                let mut p = names::parts(name, self.dialect());
                let Some(column) = p.pop() else { return };
                if p.is_empty() {
                    return;
                }
                let table = self.resolve_parts(p);
                if let Some(c) = self
                    .model
                    .table_mut(&table)
                    .and_then(|t| t.column_mut(&column))
                {
                    c.comment = comment;
                }
            }
            C::Schema => {
                if let Some(s) = self
                    .model
                    .schemas
                    .get_mut(&names::last(name, self.dialect()))
                {
                    s.comment = comment;
                }
            }
            _ => {}
        }
    }

    /// Resolves a relation name (table, view or sequence) against the search path.
    pub(crate) fn resolve_relation(&self, name: &ObjectName) -> QualName {
        let model = &self.model;
        self.resolver.resolve(name, |q| model.has_relation(q))
    }

    pub(crate) fn resolve_parts(&self, parts: Vec<String>) -> QualName {
        if parts.len() > 1 {
            return self.resolver.qualify_parts(parts);
        }
        let name = ObjectName::from(parts.into_iter().map(ast::Ident::new).collect::<Vec<_>>());
        // Parts are already normalized; resolve by the bare name.
        let model = &self.model;
        self.resolver.resolve(&name, |q| model.has_relation(q))
    }
}

/// A name-like expression (`public`, `'$user'`, `"x"`) as text.
pub(crate) fn expr_name(expr: &Expr) -> String {
    match expr {
        Expr::Identifier(id) => id.value.clone(),
        Expr::Value(v) => match &v.value {
            ast::Value::SingleQuotedString(s) | ast::Value::DoubleQuotedString(s) => s.clone(),
            other => other.to_string(),
        },
        other => other.to_string(),
    }
}

/// SQL text of an expression as the model keeps it (for defaults, predicates, checks).
pub(crate) fn expr_text(expr: &Expr) -> String {
    expr.to_string()
}

/// The span of any AST node, for origins.
pub(crate) fn span_of(node: &impl Spanned) -> sqlparser::tokenizer::Span {
    node.span()
}
