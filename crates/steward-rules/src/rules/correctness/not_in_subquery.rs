use crate::prelude::*;
use sqlparser::ast::{
    self as ast, BinaryOperator, Expr, GroupByExpr, InTarget, SelectItem, SetExpr, TableFactor,
    TableWithJoins, Visit, VisitMut, Visitor, VisitorMut,
};
use std::ops::ControlFlow;
use steward_core::model::Model;

declare_rule! {
    /// Finds `x NOT IN (SELECT …)`, which silently matches nothing when the subquery yields a NULL.
    ///
    /// ## What it does
    /// Reports a `NOT IN` whose right-hand side is a subquery, in queries, views and routine
    /// bodies, and suggests the same query written with `NOT EXISTS`. On SQL Server it stays
    /// quiet when the subquery provably yields no NULL (a `NOT NULL` column of one table):
    /// there the optimizer plans both forms alike.
    ///
    /// ## Why it matters
    /// `x NOT IN (1, 2, NULL)` is never true: it is `x <> 1 AND x <> 2 AND x <> NULL`, and the
    /// last comparison is unknown. So the day one row of the subquery's column becomes NULL,
    /// the query returns no rows at all — no error, reports and clean-up jobs just quietly
    /// do nothing. PostgreSQL also cannot turn `NOT IN (subquery)` into an anti-join: it
    /// builds a hashed subplan, and once the subquery outgrows `work_mem` it re-scans it for
    /// every outer row, which turns a one-second query into hours.
    ///
    /// ## Example
    /// ```sql
    /// SELECT c.id FROM customers c
    /// WHERE c.id NOT IN (SELECT o.customer_id FROM orders o);
    /// ```
    ///
    /// ## Fix
    /// ```sql
    /// SELECT c.id FROM customers c
    /// WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id);
    /// ```
    /// `NOT EXISTS` is an anti-join, and NULLs in `orders.customer_id` no longer hide every
    /// row. One difference: a row whose own `c.id` is NULL is now returned (with `NOT IN` it
    /// never was); add `AND c.id IS NOT NULL` if that matters.
    pub struct NotInSubquery {
        id: "not-in-subquery",
        category: Correctness,
        severity: Warning,
        dialects: [Postgres, Tsql],
        scope: Query,
    }
}

impl Rule for NotInSubquery {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_query(&self, ctx: &QueryCtx, out: &mut Vec<Diagnostic>) {
        let mut v = Finder {
            ctx,
            scopes: Vec::new(),
            out,
        };
        let _ = ctx.query.visit(&mut v);
    }
}

/// Walks a query keeping the innermost single-table scope, to qualify names in the fix.
struct Finder<'c, 'o, 'q> {
    ctx: &'c QueryCtx<'q>,
    /// The qualifier (alias or table name) of each enclosing SELECT/UPDATE/DELETE when it
    /// reads exactly one table, else `None`.
    scopes: Vec<Option<String>>,
    out: &'o mut Vec<Diagnostic>,
}

impl Visitor for Finder<'_, '_, '_> {
    type Break = ();

    fn pre_visit_select(&mut self, select: &ast::Select) -> ControlFlow<()> {
        self.scopes.push(single_qualifier(&select.from));
        ControlFlow::Continue(())
    }

    fn post_visit_select(&mut self, _: &ast::Select) -> ControlFlow<()> {
        self.scopes.pop();
        ControlFlow::Continue(())
    }

    fn pre_visit_statement(&mut self, s: &ast::Statement) -> ControlFlow<()> {
        let scope = match s {
            ast::Statement::Update(u) if u.from.is_none() => {
                single_qualifier(std::slice::from_ref(&u.table))
            }
            ast::Statement::Delete(d) if d.using.is_none() && d.tables.is_empty() => {
                match &d.from {
                    ast::FromTable::WithFromKeyword(f) | ast::FromTable::WithoutKeyword(f) => {
                        single_qualifier(f)
                    }
                }
            }
            _ => None,
        };
        self.scopes.push(scope);
        ControlFlow::Continue(())
    }

    fn post_visit_statement(&mut self, _: &ast::Statement) -> ControlFlow<()> {
        self.scopes.pop();
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<()> {
        let Expr::In {
            expr: left,
            target: InTarget::Subquery(subquery),
            negated: true,
            ..
        } = expr
        else {
            return ControlFlow::Continue(());
        };
        let ctx = self.ctx;
        let never_null = yields_no_null(ctx.model, subquery);
        if ctx.dialect == Dialect::Tsql && never_null {
            return ControlFlow::Continue(());
        }
        let outer = self.scopes.last().cloned().flatten();
        let (message, why) = if never_null {
            (
                format!("`{left} NOT IN (SELECT …)` cannot be planned as an anti-join"),
                "PostgreSQL runs NOT IN (subquery) as a subplan that is re-scanned per row once the subquery outgrows work_mem; NOT EXISTS is planned as an anti-join (and stays correct if the column ever becomes nullable)",
            )
        } else {
            (
                format!("`{left} NOT IN (SELECT …)` matches no row at all once the subquery yields a NULL"),
                "x NOT IN (…, NULL) is never true, so one NULL in the subquery silently empties the result; NOT EXISTS has no such trap and is planned as an anti-join (it does return rows whose own value is NULL)",
            )
        };
        let mut d = NotInSubquery::META
            .diag(message)
            .at(ctx.locate(expr).or_else(|| ctx.location()))
            .help(why);
        if let Some(object) = ctx.context_object() {
            d = d.object(object);
        }
        if let Some(fix) = rewrite(ctx, expr, left, subquery, outer.as_deref()) {
            d = d.fix(fix);
        }
        self.out.push(d);
        ControlFlow::Continue(())
    }
}

/// The name columns of the only table of a FROM list are qualified by (its alias, else its
/// bare name), when the list has exactly one table and no join.
fn single_qualifier(from: &[TableWithJoins]) -> Option<String> {
    let [only] = from else { return None };
    if !only.joins.is_empty() {
        return None;
    }
    match &only.relation {
        TableFactor::Table { name, alias, .. } => match alias {
            Some(a) if a.columns.is_empty() => Some(a.name.to_string()),
            Some(_) => None,
            None => name.0.last().map(|p| p.to_string()),
        },
        _ => None,
    }
}

/// Whether the subquery provably yields no NULL: one `NOT NULL` column of one known table.
fn yields_no_null(model: &Model, subquery: &ast::Query) -> bool {
    let SetExpr::Select(select) = subquery.body.as_ref() else {
        return false;
    };
    let [TableWithJoins {
        relation: TableFactor::Table { name, .. },
        joins,
    }] = select.from.as_slice()
    else {
        return false;
    };
    if !joins.is_empty() {
        return false;
    }
    let column = match select.projection.as_slice() {
        [SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. }] => match e {
            Expr::Identifier(i) => i,
            Expr::CompoundIdentifier(parts) => match parts.last() {
                Some(i) => i,
                None => return false,
            },
            _ => return false,
        },
        _ => return false,
    };
    let table = resolve_table(model, name);
    let column = steward_sql::names::ident(column, model.dialect);
    model
        .table(&table)
        .and_then(|t| t.column(&column))
        .is_some_and(|c| c.not_null)
}

/// The statement with the `NOT IN` rewritten as `NOT EXISTS`, when it can be done safely
/// (a plain one-table subquery, and names that stay bound to the same tables).
fn rewrite(
    ctx: &QueryCtx,
    expr: &Expr,
    left: &Expr,
    subquery: &ast::Query,
    outer: Option<&str>,
) -> Option<String> {
    if subquery.with.is_some()
        || subquery.order_by.is_some()
        || subquery.limit_clause.is_some()
        || subquery.fetch.is_some()
    {
        return None;
    }
    let SetExpr::Select(select) = subquery.body.as_ref() else {
        return None;
    };
    let no_grouping =
        matches!(&select.group_by, GroupByExpr::Expressions(e, m) if e.is_empty() && m.is_empty());
    if !no_grouping || select.having.is_some() || select.top.is_some() || select.into.is_some() {
        return None;
    }
    let inner_qualifier = single_qualifier(&select.from)?;
    let inner = match select.projection.as_slice() {
        [SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. }] => match e {
            Expr::Identifier(i) => format!("{inner_qualifier}.{i}"),
            Expr::CompoundIdentifier(_) => e.to_string(),
            _ => return None,
        },
        _ => return None,
    };
    let outer_text = match left {
        // Unqualified, the name would bind to the subquery's table inside NOT EXISTS.
        Expr::Identifier(i) => {
            let q = outer?;
            if q == inner_qualifier {
                return None;
            }
            format!("{q}.{i}")
        }
        Expr::CompoundIdentifier(parts) => {
            if parts.first().map(|p| p.to_string()) == Some(inner_qualifier.clone()) {
                return None;
            }
            left.to_string()
        }
        _ => return None,
    };
    let from = select.from.first()?.to_string();
    let condition = match &select.selection {
        Some(
            w @ Expr::BinaryOp {
                op: BinaryOperator::Or,
                ..
            },
        ) => format!("({w}) AND {inner} = {outer_text}"),
        Some(w) => format!("{w} AND {inner} = {outer_text}"),
        None => format!("{inner} = {outer_text}"),
    };
    let text = format!("NOT EXISTS (SELECT 1 FROM {from} WHERE {condition})");
    let replacement = match ctx.dialect {
        Dialect::Postgres => parse_expr(&sqlparser::dialect::PostgreSqlDialect {}, &text),
        Dialect::Tsql => parse_expr(&sqlparser::dialect::MsSqlDialect {}, &text),
    }?;
    let mut statement = ctx.query.clone();
    let mut replacer = Replace {
        target: expr,
        with: replacement,
        done: false,
    };
    let _ = VisitMut::visit(&mut statement, &mut replacer);
    if !replacer.done {
        return None;
    }
    // A view's query is fixed by redefining the view.
    Some(match &ctx.source {
        QuerySource::View(name) => match ctx.dialect {
            Dialect::Postgres => format!("CREATE OR REPLACE VIEW {name} AS {statement};"),
            Dialect::Tsql => format!(
                "CREATE OR ALTER VIEW {} AS {statement};",
                name.display(Dialect::Tsql)
            ),
        },
        _ => format!("{statement};"),
    })
}

fn parse_expr(dialect: &dyn sqlparser::dialect::Dialect, text: &str) -> Option<Expr> {
    sqlparser::parser::Parser::new(dialect)
        .try_with_sql(text)
        .ok()?
        .parse_expr()
        .ok()
}

/// Replaces the first expression equal to `target`.
struct Replace<'a> {
    target: &'a Expr,
    with: Expr,
    done: bool,
}

impl VisitorMut for Replace<'_> {
    type Break = ();

    fn pre_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        if !self.done && expr == self.target {
            *expr = self.with.clone();
            self.done = true;
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    }
}
