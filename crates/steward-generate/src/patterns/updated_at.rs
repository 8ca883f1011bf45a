//! `updated-at`: one trigger function per schema and a trigger per `updated_at` column.
//!
//! The function sets the column named by the trigger's argument, so one function serves
//! `updated_at`, `modified_at` and `last_update` alike. The trigger fires only when the row
//! really changed (`OLD IS DISTINCT FROM NEW`), so a no-op UPDATE does not move the time.

use crate::script::Script;
use crate::sql::{ident, lit, object_name, qname};
use crate::tables::selected;
use crate::{GenerateError, Options};
use std::collections::BTreeSet;
use steward_core::model::{Model, QualName, TriggerTiming, TypeFamily};
use steward_rules::rules::integrity::updated_at_without_trigger::is_updated_at;

pub fn generate(model: &Model, options: &Options) -> Result<Script, GenerateError> {
    let mut script =
        Script::new("steward generate updated-at: keep every updated_at column current");
    let mut targets = Vec::new();
    for table in selected(model, options)? {
        for column in &table.columns {
            let timestamp = column.data_type.as_ref().is_some_and(|t| {
                matches!(t.family, TypeFamily::Timestamp { .. } | TypeFamily::Date)
            });
            if !is_updated_at(&column.name) || !timestamp || column.generated.is_some() {
                continue;
            }
            let ours = object_name(&["set", &column.name]);
            let foreign_trigger = model.triggers_on(&table.name).any(|t| {
                t.name != ours
                    && t.timing == TriggerTiming::Before
                    && t.events.iter().any(|e| e.eq_ignore_ascii_case("UPDATE"))
            });
            if foreign_trigger {
                script.note(format!(
                    "{} already has a BEFORE UPDATE trigger; left alone in case it maintains {}.",
                    table.name, column.name
                ));
                continue;
            }
            targets.push((table.name.clone(), column.name.clone()));
        }
    }
    if targets.is_empty() {
        return Err(GenerateError::NotApplicable(if script.notes.is_empty() {
            "no table has an updated_at (modified_at, last_update…) timestamp column".to_string()
        } else {
            format!(
                "nothing to do: every updated_at column already has a BEFORE UPDATE trigger ({} table(s))",
                script.notes.len()
            )
        }));
    }
    let schemas: BTreeSet<&str> = targets.iter().map(|(t, _)| t.schema.as_str()).collect();
    for schema in &schemas {
        let function = QualName::new(*schema, "set_updated_at");
        script.sql(format!(
            "CREATE OR REPLACE FUNCTION {f}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- TG_ARGV[0] names the column, so one function serves every table.
  NEW := jsonb_populate_record(NEW, jsonb_build_object(TG_ARGV[0], now()));
  RETURN NEW;
END
$$",
            f = qname(&function)
        ));
        script.sql(format!(
            "COMMENT ON FUNCTION {}() IS {}",
            qname(&function),
            lit("Sets the column named by the trigger argument to now(); installed by steward generate updated-at.")
        ));
    }
    for (table, column) in &targets {
        let function = QualName::new(table.schema.clone(), "set_updated_at");
        script.sql(format!(
            "CREATE OR REPLACE TRIGGER {trigger} BEFORE UPDATE ON {table}
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION {function}({column})",
            trigger = ident(&object_name(&["set", column])),
            table = qname(table),
            function = qname(&function),
            column = lit(column),
        ));
    }
    script.note(format!(
        "Covers {} column(s). The trigger sets the time of the transaction's start (now()), the same for every row it changes.",
        targets.len()
    ));
    Ok(script)
}
