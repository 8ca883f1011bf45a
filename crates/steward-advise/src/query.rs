//! What a statement asks of each table it reads: equality, range and join columns, sort and
//! group keys, predicates against constants, and every column it touches. The index advisor
//! builds candidates from this and the parameter binder uses it to find each `$n`'s column.

use sqlparser::ast::{
    self as ast, BinaryOperator, Expr, GroupByExpr, JoinConstraint, JoinOperator, OrderByKind,
    SetExpr, Statement, TableFactor, TableWithJoins, UnaryOperator, Value,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use steward_core::model::{quote_ident, Model, QualName};
use steward_rules::rules::performance::scope::{column_source, Source};
use steward_rules::util::for_each_expr;

/// Parses one statement of PostgreSQL.
pub fn parse_one(text: &str) -> Result<Statement, String> {
    let mut statements =
        Parser::parse_sql(&PostgreSqlDialect {}, text).map_err(|e| e.to_string())?;
    match statements.len() {
        1 => Ok(statements.remove(0)),
        0 => Err("no statement".into()),
        n => Err(format!("{n} statements where one was expected")),
    }
}

/// How a predicate compares a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compare {
    Eq,
    Lt,
    Gt,
    /// `BETWEEN`'s low (true) or high (false) bound.
    Between(bool),
    /// An element of an `IN (…)` list (its position).
    InList(usize),
    Like,
}

impl Compare {
    pub fn is_equality(self) -> bool {
        matches!(self, Compare::Eq | Compare::InList(_))
    }
}

/// A `$n` parameter and what it is compared with.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamUse {
    Column {
        table: QualName,
        column: String,
        compare: Compare,
    },
    Limit,
    Offset,
}

/// What one SELECT block (or the WHERE of an UPDATE/DELETE) asks of one table.
#[derive(Debug, Clone, Default)]
pub struct TableUse {
    pub table: QualName,
    /// Columns compared with `=` / `IN` to a value (parameter, constant, outer column).
    pub equality: Vec<String>,
    /// Columns compared with `<`, `>`, `BETWEEN`.
    pub range: Vec<String>,
    /// Columns equated with a column of another table of the same block.
    pub join: Vec<String>,
    /// ORDER BY keys, when all of them are plain columns of this table: (column, descending).
    pub sort: Vec<(String, bool)>,
    pub group: Vec<String>,
    /// Predicates against constants (`status = 'open'`, `deleted_at IS NULL`) as SQL over the
    /// bare column, for partial indexes: (column, predicate).
    pub constant: Vec<(String, String)>,
    /// Every column of this table the block mentions (None: `SELECT *` or `t.*`).
    pub referenced: Option<Vec<String>>,
    /// Whether the block has a LIMIT (so an index in sort order can stop early).
    pub limited: bool,
}

/// Everything the advisor needs from one statement.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub uses: Vec<TableUse>,
    pub params: Vec<(usize, ParamUse)>,
}

impl Analysis {
    pub fn tables(&self) -> Vec<QualName> {
        let mut out: Vec<QualName> = self.uses.iter().map(|u| u.table.clone()).collect();
        out.sort();
        out.dedup();
        out
    }
}

/// Analyses a statement against the model.
pub fn analyse(statement: &Statement, model: &Model) -> Analysis {
    let mut analysis = Analysis::default();
    // Every query (top level, subqueries, CTEs): its SELECT body with its ORDER BY and LIMIT.
    let mut queries: Vec<&ast::Query> = Vec::new();
    collect_queries(statement, &mut queries);
    for query in queries {
        if let SetExpr::Select(select) = query.body.as_ref() {
            let sources = sources(&select.from, model);
            let mut conditions: Vec<&Expr> = select.selection.iter().collect();
            for twj in &select.from {
                for join in &twj.joins {
                    if let Some(JoinConstraint::On(e)) = join_constraint(&join.join_operator) {
                        conditions.push(e);
                    }
                }
            }
            let order: Vec<(&Expr, bool)> = match &query.order_by {
                Some(ob) => match &ob.kind {
                    OrderByKind::Expressions(list) => list
                        .iter()
                        .map(|o| {
                            (
                                &o.expr,
                                matches!(o.options.sort, Some(ast::OrderBySort::Desc)),
                            )
                        })
                        .collect(),
                    OrderByKind::All(_) => Vec::new(),
                },
                None => Vec::new(),
            };
            let group: Vec<&Expr> = match &select.group_by {
                GroupByExpr::Expressions(list, _) => list.iter().collect(),
                GroupByExpr::All(_) => Vec::new(),
            };
            let star = select.projection.iter().any(|p| {
                matches!(
                    p,
                    ast::SelectItem::Wildcard(_) | ast::SelectItem::QualifiedWildcard(..)
                )
            });
            let block = Block {
                sources: &sources,
                conditions,
                order,
                group,
                limited: query.limit_clause.is_some() || query.fetch.is_some(),
                star,
            };
            block.analyse(select, query, &mut analysis);
        }
        if let Some(ast::LimitClause::LimitOffset { limit, offset, .. }) = &query.limit_clause {
            if let Some(n) = limit.as_ref().and_then(placeholder) {
                analysis.params.push((n, ParamUse::Limit));
            }
            if let Some(n) = offset.as_ref().and_then(|o| placeholder(&o.value)) {
                analysis.params.push((n, ParamUse::Offset));
            }
        }
    }
    // The WHERE of UPDATE and DELETE finds rows like a SELECT's does.
    let (from, selection): (Vec<&TableWithJoins>, Option<&Expr>) = match statement {
        Statement::Update(u) => (vec![&u.table], u.selection.as_ref()),
        Statement::Delete(d) => match &d.from {
            ast::FromTable::WithFromKeyword(t) | ast::FromTable::WithoutKeyword(t) => {
                (t.iter().collect(), d.selection.as_ref())
            }
        },
        _ => (Vec::new(), None),
    };
    let owned: Vec<TableWithJoins> = from.into_iter().cloned().collect();
    let sources = sources(&owned, model);
    // `SET col = $n`: the value is one of the column's.
    if let (Statement::Update(u), Some(target)) = (statement, sources.first()) {
        for a in &u.assignments {
            if let (ast::AssignmentTarget::ColumnName(name), Some(n)) =
                (&a.target, placeholder(&a.value))
            {
                if let Some(column) = name.0.last().and_then(|p| p.as_ident()) {
                    analysis.params.push((
                        n,
                        ParamUse::Column {
                            table: target.table.clone(),
                            column: column.value.clone(),
                            compare: Compare::Eq,
                        },
                    ));
                }
            }
        }
    }
    if let Some(selection) = selection {
        let block = Block {
            sources: &sources,
            conditions: vec![selection],
            order: Vec::new(),
            group: Vec::new(),
            limited: false,
            star: false,
        };
        block.analyse_conditions(&mut analysis);
    }
    analysis.params.sort_by_key(|(n, _)| *n);
    analysis.params.dedup_by_key(|(n, _)| *n);
    analysis
}

fn collect_queries<'a>(statement: &'a Statement, out: &mut Vec<&'a ast::Query>) {
    find_queries(statement, out);
}

/// The queries of a statement: top level, CTEs, derived tables and subqueries in expressions.
fn find_queries<'a>(statement: &'a Statement, out: &mut Vec<&'a ast::Query>) {
    fn in_query<'a>(q: &'a ast::Query, out: &mut Vec<&'a ast::Query>) {
        out.push(q);
        if let Some(with) = &q.with {
            for cte in &with.cte_tables {
                in_query(&cte.query, out);
            }
        }
        in_set(&q.body, out);
    }
    fn in_set<'a>(s: &'a SetExpr, out: &mut Vec<&'a ast::Query>) {
        match s {
            SetExpr::Select(select) => in_select(select, out),
            SetExpr::Query(q) => in_query(q, out),
            SetExpr::SetOperation { left, right, .. } => {
                in_set(left, out);
                in_set(right, out);
            }
            _ => {}
        }
    }
    fn in_select<'a>(select: &'a ast::Select, out: &mut Vec<&'a ast::Query>) {
        for twj in &select.from {
            in_from(twj, out);
        }
        let mut exprs: Vec<&'a Expr> = select
            .projection
            .iter()
            .filter_map(|p| match p {
                ast::SelectItem::UnnamedExpr(e)
                | ast::SelectItem::ExprWithAlias { expr: e, .. } => Some(e),
                _ => None,
            })
            .collect();
        exprs.extend(select.selection.iter());
        exprs.extend(select.having.iter());
        for e in exprs {
            in_expr(e, out);
        }
    }
    fn in_from<'a>(twj: &'a TableWithJoins, out: &mut Vec<&'a ast::Query>) {
        for factor in std::iter::once(&twj.relation).chain(twj.joins.iter().map(|j| &j.relation)) {
            if let TableFactor::Derived { subquery, .. } = factor {
                in_query(subquery, out);
            }
        }
        for j in &twj.joins {
            if let Some(JoinConstraint::On(e)) = join_constraint(&j.join_operator) {
                in_expr(e, out);
            }
        }
    }
    fn in_expr<'a>(e: &'a Expr, out: &mut Vec<&'a ast::Query>) {
        match e {
            Expr::Subquery(q) | Expr::Exists { subquery: q, .. } => in_query(q, out),
            Expr::In { expr, target, .. } => {
                in_expr(expr, out);
                if let ast::InTarget::Subquery(q) = target {
                    in_query(q, out);
                }
            }
            Expr::BinaryOp { left, right, .. } => {
                in_expr(left, out);
                in_expr(right, out);
            }
            Expr::UnaryOp { expr, .. } | Expr::Nested(expr) | Expr::Cast { expr, .. } => {
                in_expr(expr, out)
            }
            Expr::Function(f) => {
                for a in steward_rules::util::function_args(f) {
                    in_expr(a, out);
                }
            }
            Expr::Case {
                operand,
                conditions,
                else_result,
                ..
            } => {
                if let Some(o) = operand {
                    in_expr(o, out);
                }
                for c in conditions {
                    in_expr(&c.condition, out);
                    in_expr(&c.result, out);
                }
                if let Some(e) = else_result {
                    in_expr(e, out);
                }
            }
            _ => {}
        }
    }
    let mut all = Vec::new();
    match statement {
        Statement::Query(q) => in_query(q, &mut all),
        Statement::Insert(i) => {
            if let Some(q) = &i.source {
                in_query(q, &mut all);
            }
        }
        Statement::Update(u) => {
            if let Some(e) = &u.selection {
                in_expr(e, &mut all);
            }
        }
        Statement::Delete(d) => {
            if let Some(e) = &d.selection {
                in_expr(e, &mut all);
            }
        }
        _ => {}
    }
    out.extend(all);
}

fn join_constraint(op: &JoinOperator) -> Option<&JoinConstraint> {
    match op {
        JoinOperator::Join(c)
        | JoinOperator::Inner(c)
        | JoinOperator::Left(c)
        | JoinOperator::LeftOuter(c)
        | JoinOperator::Right(c)
        | JoinOperator::RightOuter(c)
        | JoinOperator::FullOuter(c)
        | JoinOperator::Semi(c)
        | JoinOperator::LeftSemi(c)
        | JoinOperator::RightSemi(c)
        | JoinOperator::Anti(c)
        | JoinOperator::LeftAnti(c)
        | JoinOperator::RightAnti(c) => Some(c),
        _ => None,
    }
}

/// The plain tables of a FROM list (with joins): the query rules' own scope.
pub fn sources(from: &[TableWithJoins], model: &Model) -> Vec<Source> {
    steward_rules::rules::performance::scope::from_sources(from, model)
}

/// `$n` as a number.
pub fn placeholder(e: &Expr) -> Option<usize> {
    match e {
        Expr::Value(v) => match &v.value {
            Value::Placeholder(p) => p.strip_prefix('$')?.parse().ok(),
            _ => None,
        },
        Expr::Cast { expr, .. } | Expr::Nested(expr) => placeholder(expr),
        _ => None,
    }
}

/// A literal constant (not a parameter) as SQL text.
fn constant(e: &Expr) -> Option<String> {
    match e {
        Expr::Value(v) => match &v.value {
            Value::Placeholder(_) => None,
            other => Some(other.to_string()),
        },
        Expr::Cast { expr, .. } => constant(expr).map(|_| e.to_string()),
        Expr::Nested(inner) => constant(inner),
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => constant(expr).map(|c| format!("-{c}")),
        _ => None,
    }
}

struct Block<'s, 'e> {
    sources: &'s [Source],
    conditions: Vec<&'e Expr>,
    order: Vec<(&'e Expr, bool)>,
    group: Vec<&'e Expr>,
    limited: bool,
    star: bool,
}

impl Block<'_, '_> {
    fn entry<'u>(uses: &'u mut Vec<TableUse>, table: &QualName) -> &'u mut TableUse {
        let pos = match uses.iter().position(|u| &u.table == table) {
            Some(p) => p,
            None => {
                uses.push(TableUse {
                    table: table.clone(),
                    referenced: Some(Vec::new()),
                    ..TableUse::default()
                });
                uses.len() - 1
            }
        };
        &mut uses[pos]
    }

    fn analyse(&self, select: &ast::Select, query: &ast::Query, analysis: &mut Analysis) {
        let first = analysis.uses.len();
        self.analyse_conditions(analysis);
        let mut uses = analysis.uses.split_off(first);
        for s in self.sources {
            let u = Self::entry(&mut uses, &s.table);
            u.limited = self.limited;
        }
        // ORDER BY: usable by an index only if every key is a column of one table.
        let keys: Vec<(&Source, String, bool)> = self
            .order
            .iter()
            .filter_map(|(e, desc)| column_source(e, self.sources).map(|(s, c)| (s, c, *desc)))
            .collect();
        if !keys.is_empty()
            && keys.len() == self.order.len()
            && keys.iter().all(|(s, _, _)| s.table == keys[0].0.table)
        {
            let u = Self::entry(&mut uses, &keys[0].0.table);
            u.sort = keys.iter().map(|(_, c, d)| (c.clone(), *d)).collect();
        }
        let groups: Vec<(&Source, String)> = self
            .group
            .iter()
            .filter_map(|e| column_source(e, self.sources))
            .collect();
        if !groups.is_empty()
            && groups.len() == self.group.len()
            && groups.iter().all(|(s, _)| s.table == groups[0].0.table)
        {
            let u = Self::entry(&mut uses, &groups[0].0.table);
            u.group = groups.iter().map(|(_, c)| c.clone()).collect();
        }
        // Every column mentioned (for INCLUDE): projection, conditions, order, group, having.
        let mut mention = |e: &Expr| {
            if let Some((s, c)) = column_source(e, self.sources) {
                let u = Self::entry(&mut uses, &s.table);
                if let Some(r) = &mut u.referenced {
                    if !r.iter().any(|x| x.eq_ignore_ascii_case(&c)) {
                        r.push(c);
                    }
                }
            }
        };
        for item in &select.projection {
            for_each_expr(item, &mut mention);
        }
        for e in &self.conditions {
            for_each_expr(*e, &mut mention);
        }
        for e in &self.group {
            for_each_expr(*e, &mut mention);
        }
        if let Some(h) = &select.having {
            for_each_expr(h, &mut mention);
        }
        if let Some(ob) = &query.order_by {
            for_each_expr(ob, &mut mention);
        }
        if self.star {
            for item in &select.projection {
                match item {
                    ast::SelectItem::Wildcard(_) => {
                        for u in uses.iter_mut() {
                            u.referenced = None;
                        }
                    }
                    ast::SelectItem::QualifiedWildcard(kind, _) => {
                        let q = kind.to_string().to_lowercase();
                        let q = q
                            .rsplit('.')
                            .next()
                            .unwrap_or(&q)
                            .trim_matches('"')
                            .to_string();
                        if let Some(s) = self.sources.iter().find(|s| s.qualifier == q) {
                            Self::entry(&mut uses, &s.table).referenced = None;
                        }
                    }
                    _ => {}
                }
            }
        }
        analysis.uses.extend(uses);
    }

    fn analyse_conditions(&self, analysis: &mut Analysis) {
        let mut conjuncts = Vec::new();
        for c in &self.conditions {
            split_and(c, &mut conjuncts);
        }
        for c in conjuncts {
            self.conjunct(c, analysis);
        }
    }

    /// Whether an expression is a value for this block: no column of its sources, no subquery.
    fn is_value(&self, e: &Expr) -> bool {
        let mut value = true;
        for_each_expr(e, |x| {
            if column_source(x, self.sources).is_some()
                || matches!(
                    x,
                    Expr::Subquery(_)
                        | Expr::Exists { .. }
                        | Expr::In {
                            target: ast::InTarget::Subquery(_),
                            ..
                        }
                )
            {
                value = false;
            }
        });
        value
    }

    fn conjunct(&self, c: &Expr, analysis: &mut Analysis) {
        let col = |e: &Expr| column_source(e, self.sources).map(|(s, c)| (s.table.clone(), c));
        match c {
            Expr::Nested(inner) => self.conjunct(inner, analysis),
            Expr::BinaryOp { left, op, right } => {
                let compare = |op: &BinaryOperator, flipped: bool| match op {
                    BinaryOperator::Eq => Some(Compare::Eq),
                    BinaryOperator::Lt | BinaryOperator::LtEq => {
                        Some(if flipped { Compare::Gt } else { Compare::Lt })
                    }
                    BinaryOperator::Gt | BinaryOperator::GtEq => {
                        Some(if flipped { Compare::Lt } else { Compare::Gt })
                    }
                    _ => None,
                };
                match (col(left), col(right)) {
                    (Some((ta, ca)), Some((tb, cb))) if *op == BinaryOperator::Eq && ta != tb => {
                        push(&mut Self::entry(&mut analysis.uses, &ta).join, ca);
                        push(&mut Self::entry(&mut analysis.uses, &tb).join, cb);
                    }
                    (Some((t, c)), None) if self.is_value(right) => {
                        if let Some(cmp) = compare(op, false) {
                            self.compared(analysis, &t, &c, cmp, right);
                        }
                    }
                    (None, Some((t, c))) if self.is_value(left) => {
                        if let Some(cmp) = compare(op, true) {
                            self.compared(analysis, &t, &c, cmp, left);
                        }
                    }
                    _ => {}
                }
            }
            Expr::In {
                expr,
                target: ast::InTarget::List(list),
                negated: false,
                ..
            } => {
                if let Some((t, c)) = col(expr) {
                    if list.iter().all(|e| self.is_value(e)) {
                        push(&mut Self::entry(&mut analysis.uses, &t).equality, c.clone());
                        for (i, e) in list.iter().enumerate() {
                            if let Some(n) = placeholder(e) {
                                analysis.params.push((
                                    n,
                                    ParamUse::Column {
                                        table: t.clone(),
                                        column: c.clone(),
                                        compare: Compare::InList(i),
                                    },
                                ));
                            }
                        }
                    }
                }
            }
            Expr::In {
                expr,
                target: ast::InTarget::Subquery(_),
                negated: false,
                ..
            } => {
                if let Some((t, c)) = col(expr) {
                    push(&mut Self::entry(&mut analysis.uses, &t).equality, c);
                }
            }
            Expr::Between {
                expr,
                negated: false,
                low,
                high,
            } => {
                if let Some((t, c)) = col(expr) {
                    if self.is_value(low) && self.is_value(high) {
                        push(&mut Self::entry(&mut analysis.uses, &t).range, c.clone());
                        for (e, is_low) in [(low, true), (high, false)] {
                            if let Some(n) = placeholder(e) {
                                analysis.params.push((
                                    n,
                                    ParamUse::Column {
                                        table: t.clone(),
                                        column: c.clone(),
                                        compare: Compare::Between(is_low),
                                    },
                                ));
                            }
                        }
                    }
                }
            }
            Expr::Like {
                negated: false,
                expr,
                pattern,
                ..
            } => {
                if let (Some((t, c)), Some(n)) = (col(expr), placeholder(pattern)) {
                    analysis.params.push((
                        n,
                        ParamUse::Column {
                            table: t,
                            column: c,
                            compare: Compare::Like,
                        },
                    ));
                }
            }
            Expr::IsNull(e) => self.null_test(analysis, e, "IS NULL"),
            Expr::IsNotNull(e) => self.null_test(analysis, e, "IS NOT NULL"),
            Expr::UnaryOp {
                op: UnaryOperator::Not,
                expr,
            } => {
                if let Some((t, c)) = col(expr) {
                    if self.is_boolean(&t, &c) {
                        let pred = format!("NOT {}", quote_ident(&c));
                        push_constant(Self::entry(&mut analysis.uses, &t), &c, pred);
                    }
                }
            }
            e @ (Expr::Identifier(_) | Expr::CompoundIdentifier(_)) => {
                if let Some((t, c)) = col(e) {
                    if self.is_boolean(&t, &c) {
                        let pred = quote_ident(&c);
                        push_constant(Self::entry(&mut analysis.uses, &t), &c, pred);
                    }
                }
            }
            _ => {}
        }
    }

    fn null_test(&self, analysis: &mut Analysis, e: &Expr, test: &str) {
        if let Some((s, c)) = column_source(e, self.sources) {
            let pred = format!("{} {test}", quote_ident(&c));
            push_constant(Self::entry(&mut analysis.uses, &s.table), &c, pred);
        }
    }

    /// Whether a bare column used as a condition is a boolean (the model knows its type).
    fn is_boolean(&self, _table: &QualName, _column: &str) -> bool {
        // A bare column in a WHERE conjunct can only be boolean in valid SQL.
        true
    }

    fn compared(
        &self,
        analysis: &mut Analysis,
        table: &QualName,
        column: &str,
        cmp: Compare,
        value: &Expr,
    ) {
        let u = Self::entry(&mut analysis.uses, table);
        if cmp.is_equality() {
            push(&mut u.equality, column.to_string());
            if let Some(k) = constant(value) {
                let pred = format!("{} = {k}", quote_ident(column));
                push_constant(u, column, pred);
            }
        } else {
            push(&mut u.range, column.to_string());
        }
        if let Some(n) = placeholder(value) {
            analysis.params.push((
                n,
                ParamUse::Column {
                    table: table.clone(),
                    column: column.to_string(),
                    compare: cmp,
                },
            ));
        }
    }
}

fn push_constant(u: &mut TableUse, column: &str, pred: String) {
    if !u.constant.iter().any(|(_, p)| *p == pred) {
        u.constant.push((column.to_string(), pred));
    }
}

fn push(list: &mut Vec<String>, column: String) {
    if !list.iter().any(|c| c.eq_ignore_ascii_case(&column)) {
        list.push(column);
    }
}

/// Splits `a AND b AND c` into its conjuncts.
pub fn split_and<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
    match e {
        Expr::BinaryOp {
            left,
            op: BinaryOperator::And,
            right,
        } => {
            split_and(left, out);
            split_and(right, out);
        }
        Expr::Nested(inner)
            if matches!(
                inner.as_ref(),
                Expr::BinaryOp {
                    op: BinaryOperator::And,
                    ..
                }
            ) =>
        {
            split_and(inner, out)
        }
        other => out.push(other),
    }
}
