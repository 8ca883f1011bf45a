use crate::prelude::*;
use steward_core::model::{Index, IndexKey};

declare_rule! {
    /// Finds indexes that another index already covers.
    ///
    /// ## What it does
    /// Reports an index whose keys are a leading prefix of another valid index on the same
    /// table with the same method, the same predicate (partial or not) and the same collations,
    /// operator classes, sort order and expressions; its INCLUDE columns must be covered too.
    /// Exact duplicates are reported once. A UNIQUE index is only redundant to an index with
    /// exactly the same keys that is itself unique (it enforces something a wider index does
    /// not), and an index backing a PRIMARY KEY or UNIQUE constraint is never the one reported:
    /// the plain index is.
    ///
    /// ## Why it matters
    /// Every index is written on every insert and on updates of its columns, is vacuumed, takes
    /// disk and cache, and is WAL-logged and replicated. A redundant one costs all of that and
    /// serves no query the other cannot.
    ///
    /// ## Example
    /// ```sql
    /// CREATE INDEX orders_customer_idx ON orders (customer_id);
    /// CREATE INDEX orders_customer_created_idx ON orders (customer_id, created_at);
    /// ```
    ///
    /// ## Fix
    /// ```sql
    /// DROP INDEX CONCURRENTLY orders_customer_idx;
    /// ```
    pub struct RedundantIndex {
        id: "redundant-index",
        category: Integrity,
        severity: Warning,
        dialects: [Postgres, Tsql],
        scope: Schema,
    }
}

impl Rule for RedundantIndex {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_schema(&self, ctx: &ModelCtx, out: &mut Vec<Diagnostic>) {
        let model = ctx.model;
        let dialect = model.dialect;
        let mut groups: Vec<_> = model.indexes_by_table().into_iter().collect();
        groups.sort_by(|a, b| a.0.cmp(&b.0));
        for (_, indexes) in groups {
            for (i, index) in indexes.iter().enumerate() {
                if index.constraint.is_some() || !index.valid {
                    continue;
                }
                let cover = indexes.iter().enumerate().find(|(j, other)| {
                    *j != i
                        && covered_by(index, other)
                        // Of two exact duplicates, report the later one only, unless the
                        // earlier one is a constraint's index (then this one goes).
                        && !(covered_by(other, index) && other.constraint.is_none() && *j > i)
                });
                let Some((_, other)) = cover else { continue };
                let what = if other.keys.len() == index.keys.len() {
                    "duplicates"
                } else {
                    "is a prefix of"
                };
                let by = match &other.constraint {
                    Some(c) => format!("the index of constraint {c}"),
                    None => format!("index {}", other.name.display(dialect)),
                };
                let fix = match dialect {
                    Dialect::Postgres => format!("DROP INDEX CONCURRENTLY {};", index.name),
                    Dialect::Tsql => format!(
                        "DROP INDEX {} ON {};",
                        ident(&index.name.name, dialect),
                        index.table.display(dialect)
                    ),
                };
                let mut help = String::from("every write maintains both indexes and both take disk, cache and WAL, but queries are served as well by the other one; drop this one");
                if let Some(stats) = &index.stats {
                    help.push_str(&format!(
                        " (it takes {} kB and was used by {} scans)",
                        stats.bytes / 1024,
                        stats.idx_scan
                    ));
                }
                out.push(
                    Self::META
                        .diag(format!(
                            "index {} on {} {what} {by}",
                            index.name.display(dialect),
                            index.table.display(dialect)
                        ))
                        .at(index.origin.location().cloned())
                        .object(index.name.display(dialect))
                        .help(help)
                        .fix(fix),
                );
            }
        }
    }
}

/// Whether `other` serves every lookup `index` serves (and enforces what it enforces).
fn covered_by(index: &Index, other: &Index) -> bool {
    if !other.valid
        || index.method != other.method
        || index.predicate != other.predicate
        || index.keys.len() > other.keys.len()
        || index.keys.is_empty()
    {
        return false;
    }
    // Only B-trees serve lookups on a prefix of their keys.
    if index.keys.len() < other.keys.len() && !index.is_btree() {
        return false;
    }
    if index.unique && !(other.unique && other.keys.len() == index.keys.len()) {
        return false;
    }
    if !index
        .keys
        .iter()
        .zip(&other.keys)
        .all(|(a, b)| same_key(a, b))
    {
        return false;
    }
    index.include.iter().all(|inc| {
        other.include.iter().any(|o| o.eq_ignore_ascii_case(inc))
            || other
                .keys
                .iter()
                .any(|k| k.column_name().is_some_and(|c| c.eq_ignore_ascii_case(inc)))
    })
}

fn same_key(a: &IndexKey, b: &IndexKey) -> bool {
    let kind = match (a.column_name(), b.column_name()) {
        (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
        (None, None) => a.kind == b.kind,
        _ => false,
    };
    kind && a.descending == b.descending
        && a.nulls_first == b.nulls_first
        && a.collation == b.collation
        && a.opclass == b.opclass
}
