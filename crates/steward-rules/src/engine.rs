//! Running rules over files or a live model.

use crate::context::{Locator, ModelCtx, QueryCtx, QuerySource, StatementCtx};
use crate::rule::{Rule, Scope};
use std::sync::Arc;
use steward_core::model::{Model, Origin};
use steward_core::statement::Statement;
use steward_core::{Diagnostic, Dialect, Position};
use steward_sql::body::embedded_statements;
use steward_sql::lower::Lowerer;
use steward_sql::ParsedFile;

/// The result of running rules over files of one dialect.
pub struct FileRun {
    pub diagnostics: Vec<Diagnostic>,
    /// The schema as the files leave it.
    pub model: Model,
}

/// Runs `rules` over parsed files of one dialect, applied in order as one history.
pub fn run_files(files: &[ParsedFile], dialect: Dialect, rules: &[&dyn Rule]) -> FileRun {
    let rules: Vec<&dyn Rule> = rules
        .iter()
        .copied()
        .filter(|r| r.meta().applies_to(dialect))
        .collect();
    let by_scope = |scope: Scope| -> Vec<&dyn Rule> {
        rules
            .iter()
            .copied()
            .filter(|r| r.meta().scope == scope)
            .collect()
    };
    let statement_rules = by_scope(Scope::Statement);
    let query_rules = by_scope(Scope::Query);
    let schema_rules = by_scope(Scope::Schema);

    // Pass 1: the final model, so statement rules can tell "created later" from "unknown".
    let mut lowerer = Lowerer::new(dialect);
    for file in files {
        lowerer.start_file();
        for s in &file.statements {
            lowerer.apply(s);
        }
    }
    let final_model = lowerer.model;

    // Pass 2: statement rules against the model as it stood before each statement.
    let mut diagnostics = Vec::new();
    let mut lowerer = Lowerer::new(dialect);
    let mut index = 0;
    for file in files.iter().filter(|_| !statement_rules.is_empty()) {
        lowerer.start_file();
        for (position, statement) in file.statements.iter().enumerate() {
            if !statement_rules.is_empty() {
                let ctx = StatementCtx {
                    statement,
                    before: &lowerer.model,
                    after_all: &final_model,
                    index,
                    earlier_in_file: &file.statements[..position],
                };
                for rule in &statement_rules {
                    rule.check_statement(&ctx, &mut diagnostics);
                }
            }
            lowerer.apply(statement);
            index += 1;
        }
    }

    // Queries: statements, view bodies as written, routine bodies.
    if !query_rules.is_empty() {
        for file in files {
            for statement in &file.statements {
                for_each_statement_query(statement, &final_model, &mut |ctx| {
                    for rule in &query_rules {
                        rule.check_query(ctx, &mut diagnostics);
                    }
                });
            }
        }
        for_each_routine_query(&final_model, dialect, &mut |ctx| {
            for rule in &query_rules {
                rule.check_query(ctx, &mut diagnostics);
            }
        });
    }

    let ctx = ModelCtx {
        model: &final_model,
        live: false,
    };
    for rule in &schema_rules {
        rule.check_schema(&ctx, &mut diagnostics);
    }
    FileRun {
        diagnostics,
        model: final_model,
    }
}

/// Runs schema and query rules on a model read from a live server. View and routine bodies
/// are parsed from the catalog's text.
pub fn run_model(model: &Model, rules: &[&dyn Rule]) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let dialect = model.dialect;
    let applicable: Vec<&dyn Rule> = rules
        .iter()
        .copied()
        .filter(|r| r.meta().applies_to(dialect))
        .collect();
    let ctx = ModelCtx { model, live: true };
    for rule in applicable
        .iter()
        .filter(|r| r.meta().scope == Scope::Schema)
    {
        rule.check_schema(&ctx, &mut diagnostics);
    }
    let query_rules: Vec<&dyn Rule> = applicable
        .iter()
        .copied()
        .filter(|r| r.meta().scope == Scope::Query)
        .collect();
    if !query_rules.is_empty() {
        for view in model.views.values() {
            for parsed in steward_sql::parse_text(&view.definition, dialect, "view") {
                if let Some(ast) = parsed.ast() {
                    let ctx = QueryCtx {
                        query: ast,
                        text: &parsed.text,
                        source: QuerySource::View(view.name.clone()),
                        locator: Locator::None,
                        model,
                        dialect,
                        calls: None,
                    };
                    for rule in &query_rules {
                        rule.check_query(&ctx, &mut diagnostics);
                    }
                }
            }
        }
        for_each_routine_query(model, dialect, &mut |ctx| {
            for rule in &query_rules {
                rule.check_query(ctx, &mut diagnostics);
            }
        });
    }
    diagnostics
}

/// Runs query rules on workload queries (with their call counts).
pub fn run_queries<'a>(
    queries: impl IntoIterator<Item = (&'a Statement, Option<u64>)>,
    model: &Model,
    rules: &[&dyn Rule],
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let query_rules: Vec<&dyn Rule> = rules
        .iter()
        .copied()
        .filter(|r| r.meta().scope == Scope::Query && r.meta().applies_to(model.dialect))
        .collect();
    for (statement, calls) in queries {
        let Some(ast) = statement.ast() else { continue };
        let ctx = QueryCtx {
            query: ast,
            text: &statement.text,
            source: QuerySource::Workload,
            locator: Locator::None,
            model,
            dialect: statement.dialect,
            calls,
        };
        for rule in &query_rules {
            rule.check_query(&ctx, &mut diagnostics);
        }
    }
    diagnostics
}

/// The queries of one file statement: the statement itself when it is a query or DML, a
/// view's defining query, and the statements of a T-SQL procedure or trigger body.
fn for_each_statement_query(statement: &Statement, model: &Model, f: &mut dyn FnMut(&QueryCtx)) {
    use sqlparser::ast::Statement as S;
    let Some(ast) = statement.ast() else { return };
    let mut visit = |query: &sqlparser::ast::Statement, source: QuerySource| {
        f(&QueryCtx {
            query,
            text: &statement.text,
            source,
            locator: Locator::Statement(statement),
            model,
            dialect: statement.dialect,
            calls: None,
        })
    };
    match ast {
        // A top-level T-SQL IF/WHILE is walked whole: its condition is a query too.
        S::Query(_)
        | S::Insert(_)
        | S::Update(_)
        | S::Delete(_)
        | S::Merge(_)
        | S::If(_)
        | S::While(_) => visit(ast, QuerySource::Statement),
        S::CreateView(view) => {
            let name = view_name(view, model);
            visit(&S::Query(view.query.clone()), QuerySource::View(name));
        }
        S::CreateProcedure { name, body, .. } if statement.dialect == Dialect::Tsql => {
            let qual = steward_sql::names::Resolver::new(Dialect::Tsql).qualify(name);
            let statements = match body {
                sqlparser::ast::CreateProcedureBody::As(c) => conditional_statements(c),
                sqlparser::ast::CreateProcedureBody::BeginAtomic(b) => {
                    b.statements.iter().collect()
                }
            };
            for inner in flatten(statements) {
                visit(inner, QuerySource::Routine(qual.clone()));
            }
        }
        S::CreateTrigger(t) if statement.dialect == Dialect::Tsql => {
            if let Some(c) = &t.statements {
                let qual = steward_sql::names::Resolver::new(Dialect::Tsql).qualify(&t.name);
                for inner in flatten(conditional_statements(c)) {
                    visit(inner, QuerySource::Routine(qual.clone()));
                }
            }
        }
        _ => {}
    }
}

fn view_name(view: &sqlparser::ast::CreateView, model: &Model) -> steward_core::model::QualName {
    steward_sql::names::Resolver::new(model.dialect).qualify(&view.name)
}

fn conditional_statements(
    c: &sqlparser::ast::ConditionalStatements,
) -> Vec<&sqlparser::ast::Statement> {
    match c {
        sqlparser::ast::ConditionalStatements::Sequence { statements } => {
            statements.iter().collect()
        }
        sqlparser::ast::ConditionalStatements::BeginEnd(b) => b.statements.iter().collect(),
    }
}

/// Query and DML statements inside T-SQL control flow (IF/WHILE/BEGIN … END).
fn flatten(statements: Vec<&sqlparser::ast::Statement>) -> Vec<&sqlparser::ast::Statement> {
    use sqlparser::ast::Statement as S;
    let mut out = Vec::new();
    for s in statements {
        match s {
            S::Query(_) | S::Insert(_) | S::Update(_) | S::Delete(_) | S::Merge(_) => out.push(s),
            S::If(i) => {
                let mut blocks = vec![&i.if_block];
                blocks.extend(i.elseif_blocks.iter());
                blocks.extend(i.else_block.iter());
                for b in blocks {
                    out.extend(flatten(conditional_statements(&b.conditional_statements)));
                }
            }
            S::While(w) => out.extend(flatten(conditional_statements(
                &w.while_block.conditional_statements,
            ))),
            S::StartTransaction { statements, .. } => {
                out.extend(flatten(statements.iter().collect()))
            }
            _ => {}
        }
    }
    out
}

/// Queries inside PostgreSQL routine bodies (SQL and PL/pgSQL), located in their file.
fn for_each_routine_query(model: &Model, dialect: Dialect, f: &mut dyn FnMut(&QueryCtx)) {
    if dialect != Dialect::Postgres {
        return;
    }
    for function in &model.functions {
        let Some(body) = &function.body else { continue };
        if !matches!(function.language.as_str(), "sql" | "plpgsql") {
            continue;
        }
        for embedded in embedded_statements(body, &function.language, dialect) {
            let locator = match &function.body_origin {
                Origin::File { location, .. } => Locator::Base {
                    path: Arc::clone(&location.path),
                    base: offset_position(body, embedded.offset, location.span.start),
                },
                _ => Locator::None,
            };
            f(&QueryCtx {
                query: &embedded.ast,
                text: &embedded.text,
                source: QuerySource::Routine(function.name.clone()),
                locator,
                model,
                dialect,
                calls: None,
            });
        }
    }
}

/// The position of a byte offset of `text`, when `text` starts at `base`.
fn offset_position(text: &str, offset: usize, base: Position) -> Position {
    let prefix = &text[..offset.min(text.len())];
    let line = prefix.matches('\n').count() as u32;
    let column = match prefix.rfind('\n') {
        Some(nl) => prefix[nl + 1..].chars().count() as u32 + 1,
        None => prefix.chars().count() as u32 + 1,
    };
    Position::new(line + 1, column).offset_by(base)
}
