//! `audit-trail`: an append-only log of every change, without the personal data in it.
//!
//! One table (`audit.log`), one generic trigger function and a trigger per table. The
//! function runs as its owner (`SECURITY DEFINER` with a fixed `search_path`), so
//! application roles need no privilege on the log at all: they cannot read, change or delete
//! it. Personal data and secrets (found by the privacy classifier, plus `--redact`, minus
//! `--keep`) are passed to the trigger as arguments and never stored: an UPDATE still records
//! *that* the email changed, in `changed_columns`, but not to what.
//!
//! Each entry has the row's primary key (`row_key`), which is how `erase_subject()` finds and
//! redacts a person's entries.

use crate::script::Script;
use crate::sql::{ident, lit, qname};
use crate::tables::{pii, primary_key, selected};
use crate::{GenerateError, Options};
use steward_core::model::{Model, Table};

pub fn generate(model: &Model, options: &Options) -> Result<Script, GenerateError> {
    let mut script = Script::new(
        "steward generate audit-trail: an append-only audit log, personal data redacted",
    );
    let tables = selected(model, options)?;
    if tables.is_empty() {
        return Err(GenerateError::NotApplicable(
            "no tables to audit".to_string(),
        ));
    }
    script.sql("CREATE SCHEMA IF NOT EXISTS audit");
    script.sql("REVOKE ALL ON SCHEMA audit FROM PUBLIC");
    script.sql(
        "CREATE TABLE IF NOT EXISTS audit.log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  table_schema text NOT NULL,
  table_name text NOT NULL,
  operation text NOT NULL CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE')),
  -- The row's primary key, e.g. {\"id\": 42}: how a person's entries are found and erased.
  row_key jsonb,
  -- INSERT: the new row; DELETE: the old row; UPDATE: the changed columns only.
  -- Redacted columns are never stored.
  old_values jsonb,
  new_values jsonb,
  -- UPDATE: every changed column, redacted ones included.
  changed_columns text[],
  -- The application's user (SET LOCAL app.actor = '…'), else the database session user.
  actor text NOT NULL,
  session_role text NOT NULL,
  transaction_id bigint NOT NULL,
  statement_at timestamptz NOT NULL,
  client_addr inet,
  application_name text,
  -- Set when erase_subject() removed a person's values from this entry.
  redacted_at timestamptz
)",
    );
    script.sql("REVOKE ALL ON audit.log FROM PUBLIC");
    script.sql(format!(
        "COMMENT ON TABLE audit.log IS {}",
        lit("Append-only audit trail written by audit.log_change(); installed by steward generate audit-trail.")
    ));
    // Index plan: history of one table, a row's history (erasure, investigations), and a
    // BRIN index that makes retention deletes by time cheap on an append-only table.
    script.sql("CREATE INDEX IF NOT EXISTS log_table_time_idx ON audit.log (table_schema, table_name, statement_at)");
    script.sql("CREATE INDEX IF NOT EXISTS log_row_key_idx ON audit.log USING gin (row_key jsonb_path_ops)");
    script.sql(
        "CREATE INDEX IF NOT EXISTS log_statement_at_brin ON audit.log USING brin (statement_at)",
    );
    script.sql(FUNCTION);
    script.sql("REVOKE ALL ON FUNCTION audit.log_change() FROM PUBLIC");

    let mut redacted_total = 0;
    for table in &tables {
        let key = primary_key(table).unwrap_or_default();
        if key.is_empty() {
            script.note(format!(
                "{} has no primary key: its entries have no row_key, so erasure cannot find them by row.",
                table.name
            ));
        }
        let redacted = redacted_columns(table, options);
        redacted_total += redacted.len();
        let mut args = vec![lit(&key.join(","))];
        args.extend(redacted.iter().map(|c| lit(c)));
        let name = qname(&table.name);
        script.sql(format!(
            "CREATE OR REPLACE TRIGGER audit_trail AFTER INSERT OR UPDATE OR DELETE ON {name}
  FOR EACH ROW EXECUTE FUNCTION audit.log_change({})",
            args.join(", ")
        ));
        script.sql(format!(
            "CREATE OR REPLACE TRIGGER audit_trail_truncate AFTER TRUNCATE ON {name}
  FOR EACH STATEMENT EXECUTE FUNCTION audit.log_change({})",
            args[0]
        ));
        if !redacted.is_empty() {
            script.note(format!(
                "{}: not stored (personal data or secrets): {}.",
                table.name,
                redacted
                    .iter()
                    .map(|c| ident(c))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    script.notes.insert(
        0,
        format!(
            "Audits {} table(s); {redacted_total} column(s) are redacted (detected as personal data or secrets; change with --redact / --keep). Set the application's user per transaction with SET LOCAL app.actor = '…'.",
            tables.len()
        ),
    );
    script.note("Retention: audit.log grows forever. Delete old entries by statement_at (the BRIN index keeps that cheap), or, above ~10 million rows a month, recreate it partitioned by range on statement_at and drop old partitions.");
    Ok(script)
}

/// Columns whose values are never stored: detected personal data and secrets, `--redact`,
/// minus `--keep`. Key columns are kept (the entry must say which row it is about).
pub fn redacted_columns(table: &Table, options: &Options) -> Vec<String> {
    let key = primary_key(table).unwrap_or_default();
    let named = |list: &[String], column: &str| {
        list.iter().any(|item| match item.rsplit_once('.') {
            Some((t, c)) => {
                c.eq_ignore_ascii_case(column)
                    && (t.eq_ignore_ascii_case(&table.name.name)
                        || t.eq_ignore_ascii_case(&format!(
                            "{}.{}",
                            table.name.schema, table.name.name
                        )))
            }
            None => item.eq_ignore_ascii_case(column),
        })
    };
    table
        .columns
        .iter()
        .filter(|c| !key.contains(&c.name))
        .filter(|c| {
            named(&options.redact, &c.name)
                || (pii(table, c).is_some() && !named(&options.keep, &c.name))
        })
        .map(|c| c.name.clone())
        .collect()
}

const FUNCTION: &str = r#"CREATE OR REPLACE FUNCTION audit.log_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  -- TG_ARGV[0]: the primary-key columns, comma-separated; the rest: columns never stored.
  key_columns text[] := string_to_array(nullif(TG_ARGV[0], ''), ',');
  redacted text[] := TG_ARGV[1:];
  old_values jsonb;
  new_values jsonb;
  changed text[];
  row_key jsonb;
  col text;
BEGIN
  IF TG_OP = 'UPDATE' OR TG_OP = 'DELETE' THEN
    old_values := to_jsonb(OLD) - redacted;
    row_key := (SELECT jsonb_object_agg(k, to_jsonb(OLD) -> k) FROM unnest(key_columns) AS k);
  END IF;
  IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' THEN
    new_values := to_jsonb(NEW) - redacted;
    row_key := (SELECT jsonb_object_agg(k, to_jsonb(NEW) -> k) FROM unnest(key_columns) AS k);
  END IF;
  IF TG_OP = 'UPDATE' THEN
    changed := ARRAY(
      SELECT n.key FROM jsonb_each(new_values) AS n
      WHERE n.value IS DISTINCT FROM old_values -> n.key);
    -- Redacted columns: record that they changed, never their values.
    FOREACH col IN ARRAY redacted LOOP
      IF to_jsonb(NEW) -> col IS DISTINCT FROM to_jsonb(OLD) -> col THEN
        changed := changed || col;
      END IF;
    END LOOP;
    changed := ARRAY(SELECT c FROM unnest(changed) AS c ORDER BY c);
    IF cardinality(changed) = 0 THEN
      RETURN NULL;
    END IF;
    old_values := (SELECT jsonb_object_agg(o.key, o.value) FROM jsonb_each(old_values) AS o WHERE o.key = ANY (changed));
    new_values := (SELECT jsonb_object_agg(n.key, n.value) FROM jsonb_each(new_values) AS n WHERE n.key = ANY (changed));
  END IF;
  INSERT INTO audit.log (table_schema, table_name, operation, row_key, old_values, new_values,
                         changed_columns, actor, session_role, transaction_id, statement_at,
                         client_addr, application_name)
  VALUES (TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP, row_key, old_values, new_values, changed,
          coalesce(nullif(current_setting('app.actor', true), ''), session_user::text),
          session_user::text, txid_current(), statement_timestamp(), inet_client_addr(),
          nullif(current_setting('application_name', true), ''));
  RETURN NULL;
END
$$"#;
