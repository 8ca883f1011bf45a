use crate::prelude::*;

declare_rule! {
    /// Finds foreign key columns whose type differs from the column they reference.
    ///
    /// ## What it does
    /// Compares each foreign key column's type with the referenced column's type and reports
    /// pairs that are not the same key type (e.g. `integer` referencing `bigint`, `varchar`
    /// referencing `uuid`, `numeric` referencing `integer`). Length differences of character
    /// types are not reported.
    ///
    /// ## Why it matters
    /// A narrower child column overflows once the parent's keys pass its range (an `integer`
    /// child of a `bigint` key fails at 2,147,483,647 — an outage on insert), and joins between
    /// different types need casts that can stop the planner from using indexes.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE customer (id bigint PRIMARY KEY);
    /// CREATE TABLE orders (id bigint PRIMARY KEY, customer_id integer REFERENCES customer (id));
    /// ```
    ///
    /// ## Fix
    /// ```sql
    /// ALTER TABLE orders ALTER COLUMN customer_id TYPE bigint;
    /// ```
    pub struct FkTypeMismatch {
        id: "fk-type-mismatch",
        category: Integrity,
        severity: Warning,
        dialects: [Postgres, Tsql],
        scope: Schema,
    }
}

impl Rule for FkTypeMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_schema(&self, ctx: &ModelCtx, out: &mut Vec<Diagnostic>) {
        let model = ctx.model;
        let dialect = model.dialect;
        for table in model.tables.values() {
            if table.partition_of.is_some() {
                continue;
            }
            for (constraint, fk) in table.foreign_keys() {
                let Some(parent) = model.table(&fk.ref_table) else {
                    continue;
                };
                let ref_columns = if fk.ref_columns.is_empty() {
                    match parent.primary_key() {
                        Some(pk) => pk.columns.clone(),
                        None => continue,
                    }
                } else {
                    fk.ref_columns.clone()
                };
                for (child_col, parent_col) in fk.columns.iter().zip(&ref_columns) {
                    let child_ty = table.column(child_col).and_then(|c| c.data_type.as_ref());
                    let parent_ty = parent.column(parent_col).and_then(|c| c.data_type.as_ref());
                    let (Some(child_ty), Some(parent_ty)) = (child_ty, parent_ty) else {
                        continue;
                    };
                    if child_ty.same_key_type(parent_ty) {
                        continue;
                    }
                    let object = table.name.column_display(child_col, dialect);
                    let fix = match dialect {
                        Dialect::Postgres => format!(
                            "ALTER TABLE {} ALTER COLUMN {} TYPE {parent_ty};",
                            table.name,
                            quote_ident(child_col)
                        ),
                        Dialect::Tsql => format!(
                            "ALTER TABLE {} ALTER COLUMN {} {parent_ty};",
                            table.name.display(dialect),
                            ident(child_col, dialect)
                        ),
                    };
                    let overflow = match (child_ty.integer_max(), parent_ty.integer_max()) {
                        (Some(c), Some(p)) if c < p => {
                            format!("inserts fail once the parent's keys pass {c}; ")
                        }
                        _ => String::new(),
                    };
                    out.push(
                        Self::META
                            .diag(format!(
                                "foreign key column {object} is `{child_ty}` but references {} which is `{parent_ty}`",
                                fk.ref_table.column_display(parent_col, dialect)
                            ))
                            .at(constraint.origin.location().cloned())
                            .object(object)
                            .help(format!("{overflow}joins need casts that can keep indexes from being used; give the column the referenced column's type"))
                            .fix(fix),
                    );
                }
            }
        }
    }
}
