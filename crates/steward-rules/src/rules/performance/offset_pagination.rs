use crate::prelude::*;
use sqlparser::ast::{Expr, LimitClause, OrderByExpr, OrderByKind, OrderBySort, Query, SetExpr};

declare_rule! {
    /// Finds pagination by `OFFSET`.
    ///
    /// ## What it does
    /// Reports `OFFSET n` (PostgreSQL `LIMIT … OFFSET …`, T-SQL `OFFSET … ROWS FETCH NEXT …`)
    /// when `n` is a parameter or variable (a page number supplied at run time) or a literal of
    /// at least 1,000. The fix rewrites the query to keyset pagination from its own ORDER BY.
    ///
    /// ## Why it matters
    /// The database produces and throws away `n` rows before returning the page: page 1 is
    /// fast, page 500 reads 10,000 rows, and the deepest pages are what crawlers and exports
    /// request. Rows inserted between requests also shift pages, so users see duplicates or miss
    /// rows.
    ///
    /// ## Example
    /// ```sql
    /// SELECT id, title FROM post ORDER BY created_at DESC, id DESC LIMIT 20 OFFSET $1;
    /// ```
    ///
    /// ## Fix
    /// Remember the last row of the previous page and continue after it (with an index on the
    /// ORDER BY columns):
    /// ```sql
    /// SELECT id, title FROM post
    /// WHERE (created_at, id) < ($1, $2)
    /// ORDER BY created_at DESC, id DESC LIMIT 20;
    /// ```
    pub struct OffsetPagination {
        id: "offset-pagination",
        category: Performance,
        severity: Warning,
        dialects: [Postgres, Tsql],
        scope: Query,
    }
}

/// Literal offsets below this are a fixed, cheap skip (e.g. "the second to tenth row").
const LARGE_OFFSET: i64 = 1000;

impl Rule for OffsetPagination {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_query(&self, ctx: &QueryCtx, out: &mut Vec<Diagnostic>) {
        let start = out.len();
        for_each_query(ctx.query, |query| {
            let offset = match &query.limit_clause {
                Some(LimitClause::LimitOffset {
                    offset: Some(o), ..
                }) => &o.value,
                Some(LimitClause::OffsetCommaLimit { offset, .. }) => offset,
                _ => return,
            };
            let runtime = match offset {
                Expr::Value(v) => match &v.value {
                    sqlparser::ast::Value::Number(n, _) => {
                        if n.parse::<i64>().is_ok_and(|n| n < LARGE_OFFSET) {
                            return;
                        }
                        false
                    }
                    sqlparser::ast::Value::Placeholder(_) => true,
                    _ => return,
                },
                Expr::Identifier(_) | Expr::BinaryOp { .. } | Expr::Nested(_) => true,
                _ => return,
            };
            let what = if runtime {
                format!("`OFFSET {offset}` paginates by skipping rows")
            } else {
                format!("`OFFSET {offset}` reads and discards {offset} rows")
            };
            let mut d = Self::META
                .diag(what)
                .at(ctx.locate(offset).or_else(|| ctx.location()))
                .help("every skipped row is read and thrown away, so deep pages get slower and rows shift between requests; continue after the last row of the previous page (keyset pagination) instead")
                .fix_opt(keyset(query, ctx.text, ctx.dialect));
            if let Some(object) = ctx.context_object() {
                d = d.object(object);
            }
            out.push(d);
        });
        dedupe_from(out, start);
    }
}

/// The query rewritten to keyset pagination: `WHERE (k1, k2) > ($n, $n+1) ORDER BY k1, k2`
/// without the OFFSET, when its ORDER BY is plain expressions all in one direction.
fn keyset(query: &Query, text: &str, dialect: Dialect) -> Option<String> {
    let order = query.order_by.as_ref()?;
    let OrderByKind::Expressions(items) = &order.kind else {
        return None;
    };
    let SetExpr::Select(_) = query.body.as_ref() else {
        return None;
    };
    let descending = is_desc(items.first()?);
    if items
        .iter()
        .any(|i| is_desc(i) != descending || matches!(i.options.sort, Some(OrderBySort::Using(_))))
    {
        return None;
    }
    let keys: Vec<String> = items.iter().map(|i| i.expr.to_string()).collect();
    let cmp = if descending { "<" } else { ">" };
    // New parameters continue after the highest `$n` the query already uses.
    let used = text
        .split('$')
        .skip(1)
        .filter_map(|s| {
            s.split(|c: char| !c.is_ascii_digit())
                .next()?
                .parse::<usize>()
                .ok()
        })
        .max()
        .unwrap_or(0);
    let last: Vec<String> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| match dialect {
            Dialect::Postgres => format!("${}", used + i + 1),
            Dialect::Tsql => format!(
                "@last_{}",
                k.rsplit('.')
                    .next()
                    .unwrap_or(k)
                    .trim_matches(['[', ']', '"'])
            ),
        })
        .collect();
    let condition = match dialect {
        Dialect::Postgres if keys.len() > 1 => {
            format!("({}) {cmp} ({})", keys.join(", "), last.join(", "))
        }
        _ => {
            // T-SQL has no row-value comparison: spell it out.
            let ors: Vec<String> = (0..keys.len())
                .map(|i| {
                    let mut ands: Vec<String> = (0..i)
                        .map(|j| format!("{} = {}", keys[j], last[j]))
                        .collect();
                    ands.push(format!("{} {cmp} {}", keys[i], last[i]));
                    ands.join(" AND ")
                })
                .collect();
            ors.join(" OR ")
        }
    };
    let parser_dialect: Box<dyn sqlparser::dialect::Dialect> = match dialect {
        Dialect::Postgres => Box::new(sqlparser::dialect::PostgreSqlDialect {}),
        Dialect::Tsql => Box::new(sqlparser::dialect::MsSqlDialect {}),
    };
    let condition = sqlparser::parser::Parser::new(parser_dialect.as_ref())
        .try_with_sql(&condition)
        .ok()?
        .parse_expr()
        .ok()?;
    let mut rewritten = query.clone();
    if let SetExpr::Select(select) = rewritten.body.as_mut() {
        select.selection = Some(match select.selection.take() {
            Some(existing) => Expr::BinaryOp {
                left: Box::new(Expr::Nested(Box::new(existing))),
                op: sqlparser::ast::BinaryOperator::And,
                right: Box::new(Expr::Nested(Box::new(condition))),
            },
            None => condition,
        });
    }
    if let Some(LimitClause::LimitOffset { offset, .. }) = &mut rewritten.limit_clause {
        match dialect {
            // T-SQL's FETCH needs an OFFSET.
            Dialect::Tsql => {
                if let Some(o) = offset {
                    o.value = Expr::value(sqlparser::ast::Value::Number("0".into(), false));
                }
            }
            Dialect::Postgres => *offset = None,
        }
    }
    Some(format!("{rewritten};"))
}

fn is_desc(item: &OrderByExpr) -> bool {
    matches!(item.options.sort, Some(OrderBySort::Desc))
}
