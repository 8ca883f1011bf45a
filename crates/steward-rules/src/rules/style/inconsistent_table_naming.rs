use super::naming::{number_of, plural as plural_form, singular, Number};
use crate::prelude::*;
use std::collections::BTreeMap;
use steward_core::model::{Table, TableKind};

declare_rule! {
    /// Finds schemas that mix singular and plural table names.
    ///
    /// ## What it does
    /// Judges each table name by its last word (`customer`, `order_items`, `InvoiceLine`) as
    /// singular or plural, and reports a schema holding both, once, naming the minority.
    /// Words that are the same in both forms or easily misjudged (`status`, `address`, `news`,
    /// `series`, `data`, `staff`, `class`, `analysis`…) count for neither side. Schemas with fewer
    /// than four judged tables, or as many of each form, are not reported: there is no
    /// convention to follow yet.
    ///
    /// ## Why it matters
    /// With mixed conventions nobody can write a query without looking up each table's name:
    /// `JOIN customer` or `JOIN customers`? Errors show up one query at a time, ORMs need
    /// per-table overrides, and every new table restarts the debate.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE customers (id bigint PRIMARY KEY);
    /// CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers);
    /// CREATE TABLE region (id bigint PRIMARY KEY);
    /// ```
    ///
    /// ## Fix
    /// Pick one form (the one most tables use) and rename the others with the code that
    /// uses them:
    /// ```sql
    /// ALTER TABLE region RENAME TO regions;
    /// ```
    pub struct InconsistentTableNaming {
        id: "inconsistent-table-naming",
        category: Style,
        severity: Info,
        dialects: [Postgres, Tsql],
        scope: Schema,
    }
}

/// Fewer tables than this are no convention yet.
const MIN_TABLES: usize = 4;

impl Rule for InconsistentTableNaming {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_schema(&self, ctx: &ModelCtx, out: &mut Vec<Diagnostic>) {
        let dialect = ctx.model.dialect;
        // Per schema: singular tables, plural tables.
        let mut schemas: BTreeMap<String, (Vec<&Table>, Vec<&Table>)> = BTreeMap::new();
        for table in ctx.model.tables.values() {
            if table.partition_of.is_some()
                || matches!(table.kind, TableKind::Foreign | TableKind::Temporary)
            {
                continue;
            }
            let entry = schemas.entry(table.name.schema.clone()).or_default();
            match number_of(&table.name.name) {
                Number::Singular => entry.0.push(table),
                Number::Plural => entry.1.push(table),
                Number::Ambiguous => {}
            }
        }
        for (schema, (singulars, plurals)) in schemas {
            if singulars.is_empty() || plurals.is_empty() {
                continue;
            }
            let singular_minority = singulars.len() <= plurals.len();
            let (minority, majority, minority_form, majority_form) = if singular_minority {
                (&singulars, &plurals, "singular", "plural")
            } else {
                (&plurals, &singulars, "plural", "singular")
            };
            let list = |tables: &[&Table]| {
                let names: Vec<&str> = tables.iter().map(|t| t.name.name.as_str()).collect();
                if names.len() > 5 {
                    format!("{}, …", names[..5].join(", "))
                } else {
                    names.join(", ")
                }
            };
            let fix: Vec<String> = minority
                .iter()
                .filter_map(|t| {
                    let new = convert_last_word(&t.name.name, singular_minority)?;
                    Some(rename(t, &new, dialect))
                })
                .collect();
            // Too few tables, or no majority to follow: nothing to recommend.
            if majority.len() <= minority.len() || minority.len() + majority.len() < MIN_TABLES {
                continue;
            }
            let Some(first) = minority.first() else {
                continue;
            };
            let mut d = InconsistentTableNaming::META
                .diag(format!(
                    "schema {schema} mixes table names: {} {minority_form} ({}) and {} {majority_form} ({})",
                    minority.len(),
                    list(minority),
                    majority.len(),
                    list(majority)
                ))
                .at(first.origin.location().cloned())
                .object(schema.clone())
                .help(format!(
                    "with both conventions nobody can write a query without looking each name up; most tables here are {majority_form}, so rename the {minority_form} ones together with the code that uses them"
                ));
            if !fix.is_empty() {
                d = d.fix(fix.join("\n"));
            }
            out.push(d);
        }
    }
}

/// The name with its last word made plural (`to_plural`) or singular, keeping its case
/// style (`region` → `regions`, `CustomerDemo` → `CustomerDemos`).
fn convert_last_word(name: &str, to_plural: bool) -> Option<String> {
    let words = crate::rules::privacy::pii::words(name);
    let last = words.last()?;
    let cut = name.len().checked_sub(last.len())?;
    let (head, tail) = (name.get(..cut)?, name.get(cut..)?);
    if !tail.eq_ignore_ascii_case(last) {
        return None;
    }
    let converted = if to_plural {
        plural_form(last)
    } else {
        singular(last)
    };
    let converted = if tail.chars().next().is_some_and(char::is_uppercase) {
        let mut c = converted.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect::<String>())
            .unwrap_or_default()
    } else {
        converted
    };
    (converted != tail).then(|| format!("{head}{converted}"))
}

fn rename(table: &Table, new: &str, dialect: Dialect) -> String {
    match dialect {
        Dialect::Postgres => format!("ALTER TABLE {} RENAME TO {};", table.name, quote_ident(new)),
        Dialect::Tsql => format!(
            "EXEC sp_rename N'{}', N'{}';",
            format!("{}.{}", table.name.schema, table.name.name).replace('\'', "''"),
            new.replace('\'', "''")
        ),
    }
}
