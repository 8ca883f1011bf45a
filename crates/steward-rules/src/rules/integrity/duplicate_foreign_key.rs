use crate::prelude::*;
use std::collections::HashMap;
use steward_core::model::Model;

declare_rule! {
    /// Finds the same foreign key declared twice on a table.
    ///
    /// ## What it does
    /// Reports a foreign key whose columns reference the same table and columns as an earlier
    /// foreign key of the same table — typically an inline `REFERENCES` plus a table
    /// constraint, or a migration that adds a constraint that already exists under another name.
    ///
    /// ## Why it matters
    /// Each foreign key is checked separately: every insert and update of the child and every
    /// delete of the parent pays for the check twice, and the duplicate confuses schema-diff and
    /// ORM tooling. Dropping one later leaves the other silently in place.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customer (id));
    /// ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customer (id);
    /// ```
    ///
    /// ## Fix
    /// ```sql
    /// ALTER TABLE orders DROP CONSTRAINT orders_customer_fk;
    /// ```
    pub struct DuplicateForeignKey {
        id: "duplicate-foreign-key",
        category: Integrity,
        severity: Warning,
        dialects: [Postgres, Tsql],
        scope: Schema,
    }
}

/// A foreign key's identity: the referenced table and its sorted (child, parent) column pairs.
type FkKey = (QualName, Vec<(String, String)>);

impl Rule for DuplicateForeignKey {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_schema(&self, ctx: &ModelCtx, out: &mut Vec<Diagnostic>) {
        let model = ctx.model;
        let dialect = model.dialect;
        for table in model.tables.values() {
            let mut seen: HashMap<FkKey, Option<&str>> = HashMap::new();
            for (constraint, fk) in table.foreign_keys() {
                let Some(pairs) = column_pairs(model, fk) else {
                    continue;
                };
                let key = (model.key(&fk.ref_table), pairs);
                let Some(first) = seen.get(&key) else {
                    seen.insert(key, constraint.name.as_deref());
                    continue;
                };
                let name = table.name.display(dialect);
                let this = constraint.name.as_deref().unwrap_or("(unnamed)");
                let mut d = Self::META
                    .diag(format!(
                        "foreign key {this} on {name} ({}) duplicates {}",
                        fk.columns.join(", "),
                        first.unwrap_or("an earlier foreign key")
                    ))
                    .at(constraint.origin.location().cloned())
                    .object(name.clone())
                    .help("every write on both tables checks the same reference twice; keep one constraint");
                if let Some(cname) = &constraint.name {
                    d = d.fix(format!(
                        "ALTER TABLE {name} DROP CONSTRAINT {};",
                        ident(cname, dialect)
                    ));
                }
                out.push(d);
            }
        }
    }
}

/// (child column, parent column) pairs, sorted, with the parent's primary key filled in when
/// the reference names no columns; `None` when they cannot be known.
fn column_pairs(
    model: &Model,
    fk: &steward_core::model::ForeignKey,
) -> Option<Vec<(String, String)>> {
    let ref_columns = if fk.ref_columns.is_empty() {
        model.table(&fk.ref_table)?.primary_key()?.columns.clone()
    } else {
        fk.ref_columns.clone()
    };
    if ref_columns.len() != fk.columns.len() || fk.columns.is_empty() {
        return None;
    }
    let mut pairs: Vec<(String, String)> = fk
        .columns
        .iter()
        .zip(&ref_columns)
        .map(|(a, b)| (a.to_lowercase(), b.to_lowercase()))
        .collect();
    pairs.sort();
    Some(pairs)
}
