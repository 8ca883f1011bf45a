use crate::prelude::*;
use sqlparser::ast::{
    self as ast, FromTable, JoinConstraint, JoinOperator, ObjectName, TableFactor, TableWithJoins,
    UpdateTableFromKind, Visit, Visitor,
};
use std::ops::ControlFlow;
use steward_core::model::TableKind;

declare_rule! {
    /// Finds `UPDATE` and `DELETE` statements without a `WHERE` clause.
    ///
    /// ## What it does
    /// Reports an `UPDATE` or `DELETE` that has no `WHERE` clause, in scripts, migrations,
    /// view and routine bodies and workload queries. Writes limited another way are not
    /// reported: T-SQL `UPDATE … FROM t JOIN s ON …` (the join filters), `DELETE TOP (n)`
    /// batches, temporary tables and table variables.
    ///
    /// ## Why it matters
    /// One missing line rewrites or deletes every row of the table. It is the classic
    /// production incident: a `WHERE` lost while editing, a condition left on the clipboard,
    /// a script run against the wrong database. Recovery means a point-in-time restore — hours
    /// of downtime and the loss of every write made since the backup. When every row is
    /// meant, `TRUNCATE` says so and is much faster.
    ///
    /// ## Example
    /// ```sql
    /// UPDATE accounts SET balance = 0;
    /// DELETE FROM sessions;
    /// ```
    ///
    /// ## Fix
    /// Add the condition; if every row is really meant, say so:
    /// ```sql
    /// UPDATE accounts SET balance = 0 WHERE id = 42;
    /// TRUNCATE sessions;
    /// ```
    /// or keep the statement with `-- steward: ignore[unfiltered-write]` above it.
    pub struct UnfilteredWrite {
        id: "unfiltered-write",
        category: Correctness,
        severity: Warning,
        dialects: [Postgres, Tsql],
        scope: Query,
    }
}

impl Rule for UnfilteredWrite {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_query(&self, ctx: &QueryCtx, out: &mut Vec<Diagnostic>) {
        // DML can nest (data-modifying CTEs): look at every statement node.
        struct V<'c, 'o, 'q> {
            ctx: &'c QueryCtx<'q>,
            out: &'o mut Vec<Diagnostic>,
        }
        impl Visitor for V<'_, '_, '_> {
            type Break = ();
            fn pre_visit_statement(&mut self, s: &ast::Statement) -> ControlFlow<()> {
                check(self.ctx, s, self.out);
                ControlFlow::Continue(())
            }
        }
        let _ = ctx.query.visit(&mut V { ctx, out });
    }
}

fn check(ctx: &QueryCtx, statement: &ast::Statement, out: &mut Vec<Diagnostic>) {
    let tsql = ctx.dialect == Dialect::Tsql;
    let (target, delete) = match statement {
        ast::Statement::Update(u) => {
            if u.selection.is_some() || u.limit.is_some() {
                return;
            }
            let from = match &u.from {
                Some(UpdateTableFromKind::AfterSet(f) | UpdateTableFromKind::BeforeSet(f)) => {
                    f.as_slice()
                }
                None => &[],
            };
            // T-SQL: `UPDATE t SET … FROM t JOIN s ON …` updates only the joined rows.
            if tsql && (filters(&u.table) || from.iter().any(filters)) {
                return;
            }
            let Some(name) = table_name(&u.table.relation) else {
                return;
            };
            (name, false)
        }
        ast::Statement::Delete(d) => {
            if d.selection.is_some() || d.limit.is_some() {
                return;
            }
            let from = match &d.from {
                FromTable::WithFromKeyword(f) | FromTable::WithoutKeyword(f) => f.as_slice(),
            };
            if tsql && from.iter().any(filters) {
                return;
            }
            // `DELETE t FROM t JOIN …` names its target first; otherwise the FROM table.
            let name = match d.tables.first() {
                Some(n) => n,
                None => match from.first().and_then(|t| table_name(&t.relation)) {
                    Some(n) => n,
                    None => return,
                },
            };
            (name, true)
        }
        _ => return,
    };
    let bare = target.0.last().map(|p| p.to_string()).unwrap_or_default();
    // Temporary tables and table variables are scratch space: emptying them is the point.
    if bare.starts_with('#') || bare.starts_with('@') {
        return;
    }
    let table = resolve_table(ctx.model, target);
    if ctx
        .model
        .table(&table)
        .is_some_and(|t| t.kind == TableKind::Temporary)
    {
        return;
    }
    let shown = table.display(ctx.dialect);
    let (message, help) = if delete {
        (
            format!("DELETE without WHERE removes every row of {shown}"),
            "one lost condition deletes the whole table and only a restore brings it back; add a WHERE clause; when every row is meant, TRUNCATE says so and is faster (it skips ON DELETE triggers and refuses tables other tables reference), or keep the DELETE with a suppression comment",
        )
    } else {
        (
            format!("UPDATE without WHERE rewrites every row of {shown}"),
            "one lost condition overwrites the column in every row and only a restore brings the old values back; add a WHERE clause, or a suppression comment when every row is really meant",
        )
    };
    let mut d = UnfilteredWrite::META
        .diag(message)
        .at(ctx.locate(statement).or_else(|| ctx.location()))
        .object(shown.clone())
        .help(help);
    // TRUNCATE is the statement that says "every row"; it is only offered for a plain
    // DELETE (it skips ON DELETE triggers and fails on referenced tables, which the help of
    // the finding cannot know about, so it is a suggestion, not an autofix).
    if delete {
        d = d.fix(match ctx.dialect {
            Dialect::Postgres => format!("TRUNCATE {shown};"),
            Dialect::Tsql => format!("TRUNCATE TABLE {shown};"),
        });
    }
    out.push(d);
}

/// The table name of a plain table reference.
fn table_name(factor: &TableFactor) -> Option<&ObjectName> {
    match factor {
        TableFactor::Table { name, .. } => Some(name),
        _ => None,
    }
}

/// Whether a FROM item joins with a condition (which limits the rows written in T-SQL).
fn filters(t: &TableWithJoins) -> bool {
    t.joins.iter().any(|j| match &j.join_operator {
        JoinOperator::CrossJoin(_)
        | JoinOperator::CrossApply
        | JoinOperator::OuterApply
        | JoinOperator::ArrayJoin
        | JoinOperator::LeftArrayJoin
        | JoinOperator::InnerArrayJoin => false,
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
        | JoinOperator::RightAnti(c)
        | JoinOperator::StraightJoin(c) => !matches!(c, JoinConstraint::None),
        JoinOperator::AsOf { .. } => true,
    })
}
