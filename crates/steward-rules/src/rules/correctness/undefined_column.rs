use super::defined::replace_ident;
use crate::prelude::*;
use sqlparser::ast::{
    self as ast, ColumnOption, Expr, Ident, InTarget, ObjectName, ObjectNamePart, SelectItem,
    TableConstraint, TableFactor, Visit, Visitor,
};
use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;
use steward_core::model::{Model, Table};
use steward_sql::names::{self, Resolver};

declare_rule! {
    /// Finds references to columns that the table does not have at that point.
    ///
    /// ## What it does
    /// Follows the files in order and checks the columns named by `CREATE INDEX` (keys,
    /// `INCLUDE`, partial-index predicate), by PRIMARY KEY / UNIQUE / FOREIGN KEY / CHECK
    /// constraints, by `INSERT` column lists and `UPDATE … SET`, and by views and queries,
    /// against the table's definition as it stands just before the statement (columns added
    /// by a later `ALTER TABLE` do not count yet). It only judges tables whose full column
    /// list is known from the input, and in queries only names that are bound without doubt:
    /// `alias.column` where the alias is a table of the same `SELECT`, and bare names when
    /// the `SELECT` reads exactly one table and cannot see an outer query. CTEs, subqueries
    /// in `FROM`, select-list aliases, system columns (`ctid`, `xmin`, …) and routine bodies
    /// are left alone.
    ///
    /// ## Why it matters
    /// The server rejects the statement (`column "emial" does not exist`), so the migration
    /// stops halfway, or — for a view or query shipped with the application — the feature
    /// fails at run time for every user. Typos and columns renamed in another branch are the
    /// usual cause; both are cheap to fix before deploying and expensive after.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL);
    /// CREATE INDEX customers_email_idx ON customers (emial);
    /// ```
    ///
    /// ## Fix
    /// ```sql
    /// CREATE INDEX customers_email_idx ON customers (email);
    /// ```
    pub struct UndefinedColumn {
        id: "undefined-column",
        category: Correctness,
        severity: Error,
        dialects: [Postgres, Tsql],
        scope: Statement,
    }
}

impl Rule for UndefinedColumn {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_statement(&self, ctx: &StatementCtx, out: &mut Vec<Diagnostic>) {
        let Some(ast) = ctx.statement.ast() else {
            return;
        };
        let checker = Checker {
            ctx,
            model: ctx.before,
            resolver: Resolver::new(ctx.dialect()),
        };
        use ast::Statement as S;
        match ast {
            S::CreateIndex(index) => checker.create_index(index, out),
            S::CreateTable(create) => checker.create_table(create, out),
            S::AlterTable(alter) => checker.alter_table(alter, out),
            S::CreateView(view) => checker.query(view.query.as_ref(), out),
            S::Query(_) | S::Insert(_) | S::Update(_) | S::Delete(_) => {
                checker.dml(ast, out);
                checker.query(ast, out);
            }
            _ => {}
        }
    }
}

/// A table whose columns the rule may judge, plus columns the statement itself adds.
#[derive(Clone, Copy)]
struct Known<'a> {
    name: &'a QualName,
    columns: &'a [steward_core::model::Column],
    table: Option<&'a Table>,
}

struct Checker<'a, 'c> {
    ctx: &'a StatementCtx<'c>,
    model: &'a Model,
    resolver: Resolver,
}

impl<'a> Checker<'a, '_> {
    fn dialect(&self) -> Dialect {
        self.ctx.dialect()
    }

    /// A table of the model, when its column list is complete.
    fn known_table(&self, name: &ObjectName) -> Option<&'a Table> {
        let model = self.model;
        let q = self.resolver.resolve(name, |q| model.has_relation(q));
        model.table(&q).filter(|t| t.columns_known)
    }

    fn has(&self, known: Known, extra: &HashSet<String>, column: &str) -> bool {
        let folded = column.to_lowercase();
        extra.contains(&folded)
            || known
                .columns
                .iter()
                .any(|c| c.name == column || c.name.eq_ignore_ascii_case(column))
            || known.table.is_some_and(|t| t.column(column).is_some())
            || is_system_column(column, self.dialect())
    }

    /// Reports `ident` unless it is a column of `known` (or of `extra`).
    fn check(
        &self,
        known: Known,
        extra: &HashSet<String>,
        ident: &Ident,
        what: &str,
        out: &mut Vec<Diagnostic>,
    ) {
        let column = names::ident(ident, self.dialect());
        if column.is_empty() || self.has(known, extra, &column) {
            return;
        }
        let dialect = self.dialect();
        let mut candidates: Vec<&str> = known.columns.iter().map(|c| c.name.as_str()).collect();
        candidates.extend(extra.iter().map(String::as_str));
        let suggestion = closest(&column, &candidates);
        let added_later = self
            .ctx
            .after_all
            .table(known.name)
            .is_some_and(|t| t.column(&column).is_some());
        let hint = match suggestion {
            _ if added_later => String::new(),
            Some(c) => format!("did you mean {c}? "),
            None => String::new(),
        };
        let advice = if added_later {
            "the column is only added later in the run; move this statement after that"
        } else {
            "check the spelling, or add the column before this statement"
        };
        let error = match dialect {
            Dialect::Postgres => "column does not exist",
            Dialect::Tsql => "invalid column name",
        };
        let mut d = UndefinedColumn::META
            .diag(format!(
                "{what} names column {column}, which {} does not have at this point",
                known.name.display(dialect)
            ))
            .at(Some(self.ctx.statement.locate(ident.span)))
            .object(known.name.column_display(&column, dialect))
            .help(format!(
                "{hint}the server rejects the statement ({error}); {advice}"
            ));
        if let Some(fix) = suggestion
            .filter(|_| !added_later)
            .and_then(|c| replace_ident(self.ctx.statement, ident, &quote_for(c, dialect)))
        {
            d = d.fix(fix.trim().to_string());
        }
        out.push(d);
    }

    fn create_index(&self, index: &ast::CreateIndex, out: &mut Vec<Diagnostic>) {
        let Some(table) = self.known_table(&index.table_name) else {
            return;
        };
        let known = table_known(table);
        let none = HashSet::new();
        for key in &index.columns {
            for ident in bare_identifiers(&key.column.expr, self.dialect()) {
                self.check(known, &none, &ident, "index", out);
            }
        }
        for ident in &index.include {
            self.check(known, &none, ident, "index INCLUDE", out);
        }
        if let Some(predicate) = &index.predicate {
            for ident in bare_identifiers(predicate, self.dialect()) {
                self.check(known, &none, &ident, "index predicate", out);
            }
        }
    }

    fn create_table(&self, create: &ast::CreateTable, out: &mut Vec<Diagnostic>) {
        let own_known = create.query.is_none()
            && create.like.is_none()
            && create.partition_of.is_none()
            && create.inherits.is_none();
        let name = self.resolver.qualify(&create.name);
        let own: HashSet<String> = create
            .columns
            .iter()
            .map(|c| names::ident(&c.name, self.dialect()).to_lowercase())
            .collect();
        let own_table = Known {
            name: &name,
            columns: &[],
            table: None,
        };
        for column in &create.columns {
            for option in &column.options {
                match &option.option {
                    ColumnOption::ForeignKey(fk) => {
                        self.referred(&name, &own, own_known, fk, out);
                    }
                    ColumnOption::Check(check) if own_known => {
                        for ident in bare_identifiers(&check.expr, self.dialect()) {
                            self.check(own_table, &own, &ident, "CHECK constraint", out);
                        }
                    }
                    _ => {}
                }
            }
        }
        for constraint in &create.constraints {
            if own_known {
                self.constraint_columns(own_table, &own, constraint, out);
            }
            if let TableConstraint::ForeignKey(fk) = constraint {
                self.referred(&name, &own, own_known, fk, out);
            }
        }
    }

    fn alter_table(&self, alter: &ast::AlterTable, out: &mut Vec<Diagnostic>) {
        let Some(table) = self.known_table(&alter.name) else {
            return;
        };
        let known = table_known(table);
        // Columns added earlier in the same statement exist for the later operations.
        let mut added: HashSet<String> = HashSet::new();
        for op in &alter.operations {
            use ast::AlterTableOperation as Op;
            match op {
                Op::AddColumn { column_def, .. } => {
                    added.insert(names::ident(&column_def.name, self.dialect()).to_lowercase());
                }
                Op::AddConstraint { constraint, .. } => {
                    self.constraint_columns(known, &added, constraint, out);
                    if let TableConstraint::ForeignKey(fk) = constraint {
                        self.referred(&table.name, &added, true, fk, out);
                    }
                }
                // Renames and drops change the column list: stop judging the rest.
                Op::RenameColumn { .. } | Op::DropColumn { .. } => return,
                _ => {}
            }
        }
    }

    /// The constrained columns of a table constraint.
    fn constraint_columns(
        &self,
        known: Known,
        extra: &HashSet<String>,
        constraint: &TableConstraint,
        out: &mut Vec<Diagnostic>,
    ) {
        match constraint {
            TableConstraint::PrimaryKey(pk) => {
                for c in &pk.columns {
                    for ident in bare_identifiers(&c.column.expr, self.dialect()) {
                        self.check(known, extra, &ident, "PRIMARY KEY", out);
                    }
                }
            }
            TableConstraint::Unique(u) => {
                for c in &u.columns {
                    for ident in bare_identifiers(&c.column.expr, self.dialect()) {
                        self.check(known, extra, &ident, "UNIQUE constraint", out);
                    }
                }
            }
            TableConstraint::ForeignKey(fk) => {
                for ident in &fk.columns {
                    self.check(known, extra, ident, "FOREIGN KEY", out);
                }
            }
            TableConstraint::Check(check) => {
                for ident in bare_identifiers(&check.expr, self.dialect()) {
                    self.check(known, extra, &ident, "CHECK constraint", out);
                }
            }
            _ => {}
        }
    }

    /// The referenced columns of a foreign key.
    fn referred(
        &self,
        table: &QualName,
        own: &HashSet<String>,
        own_known: bool,
        fk: &ast::ForeignKeyConstraint,
        out: &mut Vec<Diagnostic>,
    ) {
        let model = self.model;
        let target = self
            .resolver
            .resolve(&fk.foreign_table, |q| model.has_relation(q));
        let none = HashSet::new();
        if model.key(&target) == model.key(table) {
            // Self-reference: the statement's own columns (plus the existing ones).
            let existing = model.table(table).filter(|t| t.columns_known);
            if !own_known && existing.is_none() {
                return;
            }
            let known = match existing {
                Some(t) => table_known(t),
                None => Known {
                    name: table,
                    columns: &[],
                    table: None,
                },
            };
            for ident in &fk.referred_columns {
                self.check(known, own, ident, "foreign key", out);
            }
            return;
        }
        let Some(t) = model.table(&target).filter(|t| t.columns_known) else {
            return;
        };
        for ident in &fk.referred_columns {
            self.check(table_known(t), &none, ident, "foreign key", out);
        }
    }

    /// INSERT column lists and UPDATE … SET targets.
    fn dml(&self, statement: &ast::Statement, out: &mut Vec<Diagnostic>) {
        let none = HashSet::new();
        match statement {
            ast::Statement::Insert(insert) => {
                let ast::TableObject::TableName(name) = &insert.table else {
                    return;
                };
                if self.is_cte(statement, name) {
                    return;
                }
                let Some(table) = self.known_table(name) else {
                    return;
                };
                for column in &insert.columns {
                    if let Some(ObjectNamePart::Identifier(ident)) = column.0.last() {
                        self.check(table_known(table), &none, ident, "INSERT", out);
                    }
                }
            }
            ast::Statement::Update(update) => {
                if update.from.is_some() || !update.table.joins.is_empty() {
                    return;
                }
                let TableFactor::Table { name, alias, .. } = &update.table.relation else {
                    return;
                };
                if self.is_cte(statement, name) {
                    return;
                }
                let Some(table) = self.known_table(name) else {
                    return;
                };
                let qualifier = alias
                    .as_ref()
                    .map(|a| a.name.value.to_lowercase())
                    .or_else(|| name.0.last().map(|p| p.to_string().to_lowercase()));
                for assignment in &update.assignments {
                    let targets = match &assignment.target {
                        ast::AssignmentTarget::ColumnName(n) => vec![n],
                        ast::AssignmentTarget::Tuple(ns) => ns.iter().collect(),
                    };
                    for target in targets {
                        let ident = match target.0.as_slice() {
                            [ObjectNamePart::Identifier(c)] => c,
                            [ObjectNamePart::Identifier(q), ObjectNamePart::Identifier(c)]
                                if Some(q.value.to_lowercase()) == qualifier =>
                            {
                                c
                            }
                            _ => continue,
                        };
                        self.check(table_known(table), &none, ident, "UPDATE", out);
                    }
                }
            }
            _ => {}
        }
    }

    fn is_cte(&self, statement: &ast::Statement, name: &ObjectName) -> bool {
        name.0.len() == 1
            && cte_names(statement).contains(&names::last(name, self.dialect()).to_lowercase())
    }

    /// Column references of every SELECT of a query.
    fn query(&self, node: &impl Visit, out: &mut Vec<Diagnostic>) {
        let ctes = cte_names(node);
        let mut walker = SelectWalker {
            checker: self,
            ctes: &ctes,
            open: 0,
            out,
        };
        let _ = node.visit(&mut walker);
    }

    fn select(
        &self,
        select: &ast::Select,
        ctes: &HashSet<String>,
        open: bool,
        out: &mut Vec<Diagnostic>,
    ) {
        // Qualifier (alias or table name) → the table it binds, when known.
        let mut bindings: HashMap<String, Option<&Table>> = HashMap::new();
        let mut factors = 0;
        let mut all = Vec::new();
        for from in &select.from {
            flatten(from, &mut all, &mut Vec::new());
        }
        {
            for factor in all {
                factors += 1;
                let (qualifier, table) = self.binding(factor, ctes);
                if let Some(q) = qualifier {
                    // The same qualifier twice is an error of its own; judge nothing then.
                    if bindings.insert(q, table).is_some() {
                        return;
                    }
                } else {
                    // A FROM item we cannot name: bare names could be its columns.
                    factors += 1;
                }
            }
        }
        let single: Option<&Table> = match (factors, bindings.values().next()) {
            (1, Some(Some(t))) if !open => Some(*t),
            _ => None,
        };
        let aliases: HashSet<String> = select
            .projection
            .iter()
            .filter_map(|item| match item {
                SelectItem::ExprWithAlias { alias, .. } => Some(alias.value.to_lowercase()),
                _ => None,
            })
            .collect();
        let none = HashSet::new();
        for expr in own_expressions(select) {
            for reference in references(expr, self.dialect()) {
                match reference {
                    Reference::Qualified(q, c) => {
                        if let Some(Some(table)) = bindings.get(&q.value.to_lowercase()) {
                            self.check(table_known(table), &none, &c, "query", out);
                        }
                    }
                    Reference::Bare(c) => {
                        let Some(table) = single else { continue };
                        let lower = c.value.to_lowercase();
                        if aliases.contains(&lower)
                            || bindings.contains_key(&lower)
                            || is_keyword_value(&lower)
                        {
                            continue;
                        }
                        self.check(table_known(table), &none, &c, "query", out);
                    }
                }
            }
        }
    }

    /// What a FROM item binds: its qualifier and, for a known table, the table.
    fn binding(
        &self,
        factor: &TableFactor,
        ctes: &HashSet<String>,
    ) -> (Option<String>, Option<&'a Table>) {
        match factor {
            TableFactor::Table {
                name, alias, args, ..
            } => {
                let qualifier = match alias {
                    Some(a) => a.name.value.to_lowercase(),
                    None => match name.0.last() {
                        Some(ObjectNamePart::Identifier(i)) => i.value.to_lowercase(),
                        _ => return (None, None),
                    },
                };
                let renamed = alias.as_ref().is_some_and(|a| !a.columns.is_empty());
                let shadowed = name.0.len() == 1
                    && ctes.contains(&names::last(name, self.dialect()).to_lowercase());
                let table = if renamed || shadowed || args.is_some() {
                    None
                } else {
                    self.known_table(name)
                };
                (Some(qualifier), table)
            }
            TableFactor::Derived { alias: Some(a), .. }
            | TableFactor::Function { alias: Some(a), .. }
            | TableFactor::UNNEST { alias: Some(a), .. }
            | TableFactor::TableFunction { alias: Some(a), .. } => {
                (Some(a.name.value.to_lowercase()), None)
            }
            _ => (None, None),
        }
    }
}

/// A column name as it must be written in SQL.
fn quote_for(column: &str, dialect: Dialect) -> String {
    match dialect {
        Dialect::Postgres => quote_ident(column),
        Dialect::Tsql => steward_core::model::bracket_ident(column),
    }
}

fn table_known(t: &Table) -> Known<'_> {
    Known {
        name: &t.name,
        columns: &t.columns,
        table: Some(t),
    }
}

/// Walks every SELECT, knowing whether it can see an outer query (subquery expressions and
/// LATERAL items can).
struct SelectWalker<'a, 'b, 'c, 'o> {
    checker: &'a Checker<'b, 'c>,
    ctes: &'a HashSet<String>,
    open: usize,
    out: &'o mut Vec<Diagnostic>,
}

impl Visitor for SelectWalker<'_, '_, '_, '_> {
    type Break = ();

    fn pre_visit_select(&mut self, select: &ast::Select) -> ControlFlow<()> {
        self.checker
            .select(select, self.ctes, self.open > 0, self.out);
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<()> {
        if opens_scope(expr) {
            self.open += 1;
        }
        ControlFlow::Continue(())
    }

    fn post_visit_expr(&mut self, expr: &Expr) -> ControlFlow<()> {
        if opens_scope(expr) {
            self.open = self.open.saturating_sub(1);
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<()> {
        if matches!(factor, TableFactor::Derived { lateral: true, .. }) {
            self.open += 1;
        }
        ControlFlow::Continue(())
    }

    fn post_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<()> {
        if matches!(factor, TableFactor::Derived { lateral: true, .. }) {
            self.open = self.open.saturating_sub(1);
        }
        ControlFlow::Continue(())
    }
}

fn opens_scope(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::Subquery(_)
            | Expr::Exists { .. }
            | Expr::In {
                target: InTarget::Subquery(_),
                ..
            }
    ) || matches!(expr, Expr::AnyOp { right, .. } | Expr::AllOp { right, .. } if matches!(right.as_ref(), Expr::Subquery(_)))
}

/// The expressions a SELECT evaluates itself (not those of its subqueries).
fn own_expressions(select: &ast::Select) -> Vec<&Expr> {
    let mut exprs: Vec<&Expr> = Vec::new();
    for item in &select.projection {
        match item {
            SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => exprs.push(e),
            _ => {}
        }
    }
    exprs.extend(select.selection.iter());
    exprs.extend(select.having.iter());
    if let ast::GroupByExpr::Expressions(list, _) = &select.group_by {
        exprs.extend(list.iter());
    }
    let mut ons = Vec::new();
    for from in &select.from {
        flatten(from, &mut Vec::new(), &mut ons);
    }
    exprs.extend(ons);
    exprs
}

/// The FROM items of a FROM entry, parenthesized joins (`((a JOIN b ON …) JOIN c ON …)`)
/// opened up, and the ON conditions of its joins.
fn flatten<'s>(
    from: &'s ast::TableWithJoins,
    factors: &mut Vec<&'s TableFactor>,
    ons: &mut Vec<&'s Expr>,
) {
    let visit =
        |factor: &'s TableFactor, factors: &mut Vec<&'s TableFactor>, ons: &mut Vec<&'s Expr>| {
            match factor {
                TableFactor::NestedJoin {
                    table_with_joins,
                    alias: None,
                } => flatten(table_with_joins, factors, ons),
                other => factors.push(other),
            }
        };
    visit(&from.relation, factors, ons);
    for join in &from.joins {
        visit(&join.relation, factors, ons);
        if let Some(ast::JoinConstraint::On(e)) = join_constraint(&join.join_operator) {
            ons.push(e);
        }
    }
}

fn join_constraint(op: &ast::JoinOperator) -> Option<&ast::JoinConstraint> {
    use ast::JoinOperator as J;
    match op {
        J::Join(c)
        | J::Inner(c)
        | J::Left(c)
        | J::LeftOuter(c)
        | J::Right(c)
        | J::RightOuter(c)
        | J::FullOuter(c)
        | J::CrossJoin(c)
        | J::Semi(c)
        | J::LeftSemi(c)
        | J::RightSemi(c)
        | J::Anti(c)
        | J::LeftAnti(c)
        | J::RightAnti(c)
        | J::StraightJoin(c) => Some(c),
        J::AsOf { constraint, .. } => Some(constraint),
        _ => None,
    }
}

enum Reference {
    Bare(Ident),
    Qualified(Ident, Ident),
}

/// Column references in an expression, not descending into subqueries. T-SQL date-part
/// arguments (`DATEADD(day, …)`) look like names and are skipped.
fn references(expr: &Expr, dialect: Dialect) -> Vec<Reference> {
    struct V {
        depth: usize,
        skip: Vec<sqlparser::tokenizer::Span>,
        found: Vec<Reference>,
        dialect: Dialect,
    }
    impl Visitor for V {
        type Break = ();
        fn pre_visit_query(&mut self, _: &ast::Query) -> ControlFlow<()> {
            self.depth += 1;
            ControlFlow::Continue(())
        }
        fn post_visit_query(&mut self, _: &ast::Query) -> ControlFlow<()> {
            self.depth = self.depth.saturating_sub(1);
            ControlFlow::Continue(())
        }
        fn pre_visit_expr(&mut self, e: &Expr) -> ControlFlow<()> {
            if self.depth > 0 {
                return ControlFlow::Continue(());
            }
            match e {
                Expr::Identifier(i) if !self.skip.contains(&i.span) => {
                    self.found.push(Reference::Bare(i.clone()));
                }
                Expr::CompoundIdentifier(parts) => {
                    if let [q, c] = parts.as_slice() {
                        self.found.push(Reference::Qualified(q.clone(), c.clone()));
                    }
                }
                Expr::Function(f) if self.dialect == Dialect::Tsql => {
                    let date_part = matches!(
                        function_name(f).as_str(),
                        "dateadd"
                            | "datediff"
                            | "datediff_big"
                            | "datepart"
                            | "datename"
                            | "datetrunc"
                            | "date_bucket"
                    );
                    if let (true, Some(Expr::Identifier(i))) = (date_part, function_args(f).first())
                    {
                        self.skip.push(i.span);
                    }
                }
                _ => {}
            }
            ControlFlow::Continue(())
        }
    }
    let mut v = V {
        depth: 0,
        skip: Vec::new(),
        found: Vec::new(),
        dialect,
    };
    let _ = expr.visit(&mut v);
    v.found
}

/// Bare identifiers of an expression (DDL: index keys, constraints, where every bare name is
/// a column of the table).
fn bare_identifiers(expr: &Expr, dialect: Dialect) -> Vec<Ident> {
    references(expr, dialect)
        .into_iter()
        .filter_map(|r| match r {
            Reference::Bare(i) if !is_keyword_value(&i.value.to_lowercase()) => Some(i),
            _ => None,
        })
        .collect()
}

/// Names that look like columns but are SQL values or keywords.
fn is_keyword_value(name: &str) -> bool {
    matches!(
        name,
        "current_date"
            | "current_time"
            | "current_timestamp"
            | "localtime"
            | "localtimestamp"
            | "current_user"
            | "session_user"
            | "system_user"
            | "user"
            | "current_role"
            | "current_catalog"
            | "current_schema"
            | "true"
            | "false"
            | "null"
            | "default"
            | "value"
    ) || name.starts_with('@')
        || name.starts_with('$')
}

fn is_system_column(name: &str, dialect: Dialect) -> bool {
    match dialect {
        Dialect::Postgres => matches!(
            name,
            "ctid" | "xmin" | "xmax" | "cmin" | "cmax" | "oid" | "tableoid"
        ),
        Dialect::Tsql => name.starts_with('$'),
    }
}

/// Lower-case names of every CTE in a node.
fn cte_names(node: &impl Visit) -> HashSet<String> {
    let mut names = HashSet::new();
    for_each_query(node, |q| {
        if let Some(with) = &q.with {
            for cte in &with.cte_tables {
                names.insert(cte.alias.name.value.to_lowercase());
            }
        }
    });
    names
}

/// The closest name within edit distance 2, for "did you mean".
fn closest<'n>(name: &str, candidates: &[&'n str]) -> Option<&'n str> {
    candidates
        .iter()
        .map(|c| (levenshtein(&name.to_lowercase(), &c.to_lowercase()), *c))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}
