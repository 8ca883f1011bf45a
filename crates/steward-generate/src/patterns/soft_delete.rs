//! `soft-delete`: rows are marked deleted (`deleted_at`) instead of removed.
//!
//! Per table: the column, a view of live rows (`<table>_live`), unique constraints turned
//! into partial unique indexes `WHERE deleted_at IS NULL` (so a deleted row frees its email
//! or slug for reuse), an index for purge jobs, and optionally a trigger that turns `DELETE`
//! into setting `deleted_at`. Unique constraints that a foreign key references stay: the key
//! must stay unique across all rows for the reference to mean anything.

use crate::script::Script;
use crate::sql::{ident, ident_list, lit, object_name, qname};
use crate::tables::{edges, primary_key, selected};
use crate::{GenerateError, Options};
use std::collections::BTreeSet;
use steward_core::model::{ConstraintKind, Model, QualName};

pub fn generate(model: &Model, options: &Options) -> Result<Script, GenerateError> {
    if options.tables.is_empty() {
        return Err(GenerateError::NotApplicable(
            "soft-delete changes how deletes work: name the tables with --table".to_string(),
        ));
    }
    let mut script = Script::new(
        "steward generate soft-delete: deleted_at, live-row views and partial unique keys",
    );
    let tables = selected(model, options)?;
    let edges = edges(model);
    let invoker = options.server_major.is_none_or(|v| v >= 15);
    let mut after_indexes = Vec::new();
    let mut function_schemas = BTreeSet::new();
    for table in &tables {
        let name = qname(&table.name);
        let Some(key) = primary_key(table) else {
            return Err(GenerateError::NotApplicable(format!(
                "{} has no primary key; soft delete needs one to identify rows",
                table.name
            )));
        };
        script.sql(format!(
            "ALTER TABLE {name} ADD COLUMN IF NOT EXISTS deleted_at timestamptz"
        ));
        script.sql(format!(
            "COMMENT ON COLUMN {name}.deleted_at IS {}",
            lit("When the row was deleted; NULL while it is live (steward generate soft-delete).")
        ));
        let columns: Vec<String> = table
            .columns
            .iter()
            .filter(|c| c.name != "deleted_at")
            .map(|c| c.name.clone())
            .collect();
        let view = QualName::new(
            table.name.schema.clone(),
            object_name(&[&table.name.name, "live"]),
        );
        script.sql(format!(
            "CREATE OR REPLACE VIEW {}{} AS\n  SELECT {}\n  FROM {name}\n  WHERE deleted_at IS NULL",
            qname(&view),
            if invoker { " WITH (security_invoker = true)" } else { "" },
            ident_list(&columns),
        ));
        if options.delete_trigger {
            function_schemas.insert(table.name.schema.clone());
            let args: Vec<String> = key.iter().map(|k| lit(k)).collect();
            after_indexes.push(format!(
                "CREATE OR REPLACE TRIGGER soft_delete BEFORE DELETE ON {name}\n  FOR EACH ROW EXECUTE FUNCTION {}({})",
                qname(&QualName::new(table.name.schema.clone(), "soft_delete")),
                args.join(", ")
            ));
        }
        // Unique keys → partial unique indexes over live rows.
        for c in &table.constraints {
            let ConstraintKind::Unique { .. } = c.kind else {
                continue;
            };
            let referenced = edges
                .iter()
                .any(|e| e.parent == table.name && e.ref_columns == c.columns);
            if referenced {
                script.note(format!(
                    "{name}: the unique key ({}) stays: a foreign key references it.",
                    ident_list(&c.columns)
                ));
                continue;
            }
            let index = object_name(&[&table.name.name, &c.columns.join("_"), "live_key"]);
            script.concurrent_index(
                &table.name,
                &index,
                true,
                &ident_list(&c.columns),
                Some("deleted_at IS NULL"),
            );
            match &c.name {
                Some(constraint) => after_indexes.push(format!(
                    "ALTER TABLE {name} DROP CONSTRAINT IF EXISTS {}",
                    ident(constraint)
                )),
                None => script.note(format!(
                    "{name}: drop the unnamed unique constraint on ({}) once the partial index exists.",
                    ident_list(&c.columns)
                )),
            }
        }
        for index in model.indexes_on(&table.name) {
            if !index.unique || index.predicate.is_some() || index.constraint.is_some() {
                continue;
            }
            let columns: Vec<String> = index
                .leading_columns()
                .iter()
                .map(|c| c.to_string())
                .collect();
            if columns.len() != index.keys.len() {
                script.note(format!(
                    "{}: an expression unique index; make it partial (WHERE deleted_at IS NULL) by hand.",
                    index.name
                ));
                continue;
            }
            let live = object_name(&[&table.name.name, &columns.join("_"), "live_key"]);
            script.concurrent_index(
                &table.name,
                &live,
                true,
                &ident_list(&columns),
                Some("deleted_at IS NULL"),
            );
            script.concurrent(
                format!("DROP INDEX CONCURRENTLY IF EXISTS {}", qname(&index.name)),
                None,
            );
        }
        // Purge jobs look for rows deleted long ago; live rows are not in this index at all.
        let purge = object_name(&[&table.name.name, "deleted_at", "idx"]);
        script.concurrent_index(
            &table.name,
            &purge,
            false,
            "deleted_at",
            Some("deleted_at IS NOT NULL"),
        );
    }
    if !after_indexes.is_empty() || !function_schemas.is_empty() {
        script.new_transaction();
        for schema in &function_schemas {
            script.sql(format!(
                "CREATE OR REPLACE FUNCTION {}() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  -- TG_ARGV: the primary-key columns.
  condition text;
BEGIN
  SELECT string_agg(format('%I = ($1).%I', k, k), ' AND ') INTO condition FROM unnest(TG_ARGV) AS k;
  EXECUTE format('UPDATE %I.%I SET deleted_at = now() WHERE deleted_at IS NULL AND %s',
                 TG_TABLE_SCHEMA, TG_TABLE_NAME, condition) USING OLD;
  RETURN NULL;
END
$$",
                qname(&QualName::new(schema.clone(), "soft_delete"))
            ));
        }
        for s in after_indexes {
            script.sql(s);
        }
    }
    script.notes.insert(0, format!(
        "Soft delete for {} table(s). Read live rows through the _live views (or add WHERE deleted_at IS NULL). Deleting is UPDATE … SET deleted_at = now(){}. Unique keys become partial unique indexes so a deleted row frees its key; they are built CONCURRENTLY after the transaction and the old constraints are dropped last.",
        tables.len(),
        if options.delete_trigger {
            "; the soft_delete trigger also turns a plain DELETE into that UPDATE (ON DELETE CASCADE then no longer fires: soft-delete children explicitly)"
        } else {
            " (add --delete-trigger to turn plain DELETEs into it)"
        }
    ));
    script.note("Personal data in soft-deleted rows is still stored: purge rows after your retention period, and erase on request (steward generate erasure).");
    Ok(script)
}
