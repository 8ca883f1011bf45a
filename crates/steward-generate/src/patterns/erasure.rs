//! `erasure`: `privacy.erase_subject(id)` — the GDPR right to erasure (Art. 17) as one
//! function built from the schema's foreign-key graph (see [`ErasurePlan`] for what it does
//! to which table and why).
//!
//! It runs in the caller's transaction (one function call is atomic), locks the subject's
//! row first, finds every affected row before changing any, then unlinks, anonymises and
//! deletes in an order the foreign keys accept. When `audit.log` exists (steward generate
//! audit-trail), the values in every entry about those rows are removed — including the
//! entries its own deletes just wrote. The request is recorded in `privacy.erasure_log` with
//! counts only: no id, no value. Calling it again for the same id finds nothing and changes
//! no data.

use crate::erasure_plan::{ErasureAction, ErasurePlan, PlanEntry};
use crate::script::Script;
use crate::sql::{ident, lit, qname};
use crate::tables::{find, pii, primary_key, Edge};
use crate::{GenerateError, Options};
use steward_core::model::{Model, QualName, Table, TypeFamily};
use steward_rules::rules::privacy::pii::is_person_table;

/// The table whose rows are people: `--subject-table`, else the table of people the schema
/// references most (users, customers, members…), when exactly one stands out.
pub fn subject_table<'m>(model: &'m Model, options: &Options) -> Result<&'m Table, GenerateError> {
    if let Some(name) = &options.subject_table {
        return find(model, name);
    }
    let edges = crate::tables::edges(model);
    let mut candidates: Vec<(&Table, usize)> = model
        .tables
        .values()
        .filter(|t| crate::tables::is_user_table(t))
        .filter(|t| is_person_table(&t.name.name))
        .filter(|t| t.columns.iter().any(|c| pii(t, c).is_some()))
        .map(|t| (t, edges.iter().filter(|e| e.parent == t.name).count()))
        .collect();
    candidates.sort_by_key(|c| std::cmp::Reverse(c.1));
    match candidates.as_slice() {
        [] => Err(GenerateError::NotApplicable(
            "no table of people found (users, customers, members…): name it with --subject-table".to_string(),
        )),
        [(one, _)] => Ok(one),
        [(first, a), (_, b), ..] if a > b => Ok(first),
        several => Err(GenerateError::NotApplicable(format!(
            "several tables could be the people whose data this is ({}): name one with --subject-table",
            several.iter().map(|(t, _)| t.name.to_string()).collect::<Vec<_>>().join(", ")
        ))),
    }
}

pub fn generate(model: &Model, options: &Options) -> Result<Script, GenerateError> {
    let subject = subject_table(model, options)?;
    let plan = ErasurePlan::build(model, subject, options)?;
    let key_type = subject
        .column(&plan.subject_key)
        .and_then(|c| c.data_type.as_ref())
        .map_or_else(|| "bigint".to_string(), |t| t.to_string());
    let audit = model
        .tables
        .keys()
        .any(|t| t.schema == "audit" && t.name == "log");
    let mut script = Script::new(format!(
        "steward generate erasure: privacy.erase_subject() for rows of {}",
        subject.name
    ));
    script.sql("CREATE SCHEMA IF NOT EXISTS privacy");
    script.sql("REVOKE ALL ON SCHEMA privacy FROM PUBLIC");
    script.sql(
        "CREATE TABLE IF NOT EXISTS privacy.erasure_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subject_table text NOT NULL,
  requested_at timestamptz NOT NULL DEFAULT now(),
  -- The database role that ran the erasure, never the person erased.
  requested_by text NOT NULL,
  found boolean NOT NULL,
  -- [{\"table\": …, \"action\": …, \"rows\": n}]: counts only, no keys, no values.
  rows_affected jsonb NOT NULL
)",
    );
    script.sql("REVOKE ALL ON privacy.erasure_log FROM PUBLIC");
    script.sql(function(model, &plan, &key_type, audit));
    script.sql(format!(
        "REVOKE ALL ON FUNCTION privacy.erase_subject({key_type}) FROM PUBLIC"
    ));
    script.sql(format!(
        "COMMENT ON FUNCTION privacy.erase_subject({key_type}) IS {}",
        lit(&format!(
            "Erases one row of {} and everything reachable from it along foreign keys; installed by steward generate erasure.",
            subject.name
        ))
    ));
    script.note(format!(
        "Erasure for {}: SELECT privacy.erase_subject(42); returns what it changed, per table. Grant EXECUTE to the role that handles erasure requests only. `steward privacy erasure-plan` prints the plan with row counts.",
        subject.name
    ));
    for entry in &plan.entries {
        script.note(format!(
            "{}: {} — via {}",
            entry.table,
            entry.action.label(),
            entry.path_text().join("; ")
        ));
    }
    for note in &plan.notes {
        script.note(note.clone());
    }
    if !audit {
        script.note("No audit.log here: if you add steward generate audit-trail later, generate this again so erasure redacts it.");
    }
    Ok(script)
}

/// `(x.a) IN (SELECT y.b FROM parent AS y WHERE …)` for one path, innermost hop first.
/// `subject` is the SQL expression of the subject's key (a parameter).
pub fn path_condition(model: &Model, path: &[Edge], alias: &str, subject: &str) -> String {
    let Some((last, rest)) = path.split_last() else {
        return "false".to_string();
    };
    let cols = |a: &str, cols: &[String]| -> String {
        let list: Vec<String> = cols.iter().map(|c| format!("{a}.{}", ident(c))).collect();
        if list.len() == 1 {
            list.join("")
        } else {
            format!("({})", list.join(", "))
        }
    };
    if rest.is_empty() {
        let subject_key = model
            .table(&last.parent)
            .and_then(primary_key)
            .unwrap_or_default();
        if last.ref_columns == subject_key && last.columns.len() == 1 {
            return format!("{} = {subject}", cols(alias, &last.columns));
        }
        let inner = format!("{alias}p");
        return format!(
            "{} IN (SELECT {} FROM {} AS {inner} WHERE {} = {subject})",
            cols(alias, &last.columns),
            cols(&inner, &last.ref_columns),
            qname(&last.parent),
            cols(&inner, &subject_key),
        );
    }
    let inner = format!("{alias}p");
    format!(
        "{} IN (SELECT {} FROM {} AS {inner} WHERE {})",
        cols(alias, &last.columns),
        cols(&inner, &last.ref_columns),
        qname(&last.parent),
        path_condition(model, rest, &inner, subject)
    )
}

/// The rows of an entry: the OR of its paths.
pub fn entry_condition(
    model: &Model,
    plan: &ErasurePlan,
    entry: &PlanEntry,
    alias: &str,
    subject: &str,
) -> String {
    if entry.table == plan.subject && entry.paths.is_empty() {
        return format!("{alias}.{} = {subject}", ident(&plan.subject_key));
    }
    let parts: Vec<String> = entry
        .paths
        .iter()
        .map(|p| path_condition(model, p, alias, subject))
        .collect();
    if parts.len() == 1 {
        parts.join("")
    } else {
        format!("({})", parts.join("\n      OR "))
    }
}

/// `AND (x.a, x.b) IS DISTINCT FROM (NULL, 'erased')`: only rows not anonymised yet, so a
/// second erasure changes (and counts) nothing.
fn not_yet(set: &[String]) -> String {
    let (columns, values): (Vec<&str>, Vec<&str>) =
        set.iter().filter_map(|item| item.split_once(" = ")).unzip();
    if columns.len() == 1 {
        format!("x.{} IS DISTINCT FROM {}", columns[0], values[0])
    } else {
        let columns: Vec<String> = columns.iter().map(|c| format!("x.{c}")).collect();
        format!(
            "ROW({}) IS DISTINCT FROM ROW({})",
            columns.join(", "),
            values.join(", ")
        )
    }
}

/// `SET` items that anonymise a row: NULL where allowed, a marker in NOT NULL text columns
/// (made unique with the key where the column is unique). NOT NULL columns of other types
/// are left and reported.
fn anonymise_set(
    table: &Table,
    personal: &[String],
    alias_key: &str,
) -> (Vec<String>, Vec<String>) {
    let unique_cols: Vec<&String> = table
        .constraints
        .iter()
        .filter(|c| c.is_unique_or_pk())
        .flat_map(|c| c.columns.iter())
        .collect();
    let mut set = Vec::new();
    let mut left = Vec::new();
    for name in personal {
        let Some(column) = table.column(name) else {
            continue;
        };
        let textual = column
            .data_type
            .as_ref()
            .is_some_and(|t| t.family == TypeFamily::Text);
        let col = ident(name);
        if !column.not_null {
            set.push(format!("{col} = NULL"));
        } else if textual && unique_cols.contains(&name) {
            set.push(format!("{col} = 'erased-' || {alias_key}::text"));
        } else if textual {
            set.push(format!("{col} = 'erased'"));
        } else {
            left.push(name.clone());
        }
    }
    (set, left)
}

fn function(model: &Model, plan: &ErasurePlan, key_type: &str, audit: bool) -> String {
    let subject_var = "subject_key";
    let s = qname(&plan.subject);
    let sk = ident(&plan.subject_key);
    let mut declare = vec![
        "n bigint;".to_string(),
        "counts jsonb := '[]';".to_string(),
        "erased_keys jsonb := '[]';".to_string(),
        "entry jsonb;".to_string(),
    ];
    let mut collect = Vec::new();
    let mut body = Vec::new();
    let all_edges = crate::tables::edges(model);
    let record = |table: &QualName, action: &str| {
        format!(
            "GET DIAGNOSTICS n = ROW_COUNT;\n  counts := counts || jsonb_build_object('table', {}, 'action', {}, 'rows', n);",
            lit(&table.to_string()),
            lit(action)
        )
    };
    let deleted = |t: &QualName| {
        plan.entries.iter().any(|e| {
            &e.table == t
                && matches!(e.action, ErasureAction::Delete)
                && (e.table != plan.subject || e.paths.is_empty())
        })
    };
    for (i, entry) in plan.entries.iter().enumerate() {
        let Some(table) = model.table(&entry.table) else {
            continue;
        };
        let t = qname(&entry.table);
        let key = primary_key(table).unwrap_or_default();
        let key_json = |alias: &str| {
            key.iter()
                .map(|k| format!("{}, {alias}.{}", lit(k), ident(k)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match &entry.action {
            ErasureAction::Unlink { columns } => {
                let Some(edge) = entry.paths.first().and_then(|p| p.first()) else {
                    continue;
                };
                let targets = if edge.parent == plan.subject {
                    format!("= {subject_var}")
                } else {
                    match plan
                        .entries
                        .iter()
                        .find(|e| e.table == edge.parent && !e.paths.is_empty())
                    {
                        Some(parent) => format!(
                            "IN (SELECT y.{} FROM {} AS y WHERE {})",
                            ident(edge.ref_columns.first().map_or("", String::as_str)),
                            qname(&edge.parent),
                            entry_condition(model, plan, parent, "y", subject_var)
                        ),
                        None => continue,
                    }
                };
                let [col] = columns.as_slice() else { continue };
                let own = if edge.child == plan.subject {
                    format!(" AND x.{sk} <> {subject_var}")
                } else {
                    String::new()
                };
                body.push(format!(
                    "-- Rows of other people that point at the erased rows keep existing, without the link.\n  UPDATE {t} AS x SET {} = NULL WHERE x.{} {targets}{own};\n  {}",
                    ident(col),
                    ident(col),
                    record(&entry.table, "unlinked")
                ));
            }
            ErasureAction::Delete | ErasureAction::Anonymise { .. } => {
                let cond = entry_condition(model, plan, entry, "x", subject_var);
                if audit && !key.is_empty() {
                    collect.push(format!(
                        "erased_keys := erased_keys || coalesce((SELECT jsonb_agg(jsonb_build_object('s', {}, 't', {}, 'k', jsonb_build_object({}))) FROM {t} AS x WHERE {cond}), '[]');",
                        lit(&entry.table.schema),
                        lit(&entry.table.name),
                        key_json("x")
                    ));
                }
                if matches!(entry.action, ErasureAction::Delete) {
                    body.push(format!(
                        "DELETE FROM {t} AS x\n  WHERE {cond};\n  {}",
                        record(&entry.table, "deleted")
                    ));
                } else {
                    let alias_key = key
                        .first()
                        .map_or("x.ctid".to_string(), |k| format!("x.{}", ident(k)));
                    let (mut set, left) = anonymise_set(table, &entry.personal, &alias_key);
                    // Links from kept rows to rows that are deleted are cleared.
                    for path in &entry.paths {
                        if let Some(last) = path.last() {
                            let parent_deleted = deleted(&last.parent);
                            if last.nullable && parent_deleted {
                                for c in &last.columns {
                                    let item = format!("{} = NULL", ident(c));
                                    if !set.contains(&item) {
                                        set.push(item);
                                    }
                                }
                            }
                        }
                    }
                    if !left.is_empty() {
                        body.push(format!(
                            "-- Not anonymised (NOT NULL, not text): {}",
                            left.join(", ")
                        ));
                    }
                    if set.is_empty() {
                        body.push(format!("-- {t}: kept as is (no personal columns)."));
                        continue;
                    }
                    body.push(format!(
                        "UPDATE {t} AS x SET {}\n  WHERE {cond}\n    AND {};\n  {}",
                        set.join(", "),
                        not_yet(&set),
                        record(&entry.table, "anonymised")
                    ));
                }
            }
            ErasureAction::DeleteIfUnreferenced => {
                let Some(edge) = entry.paths.first().and_then(|p| p.first()) else {
                    continue;
                };
                let (Some(fk), Some(rk)) = (edge.columns.first(), edge.ref_columns.first()) else {
                    continue;
                };
                let var = format!("owned_{i}");
                let fk_type = model
                    .table(&plan.subject)
                    .and_then(|t| t.column(fk))
                    .and_then(|c| c.data_type.as_ref())
                    .map_or_else(|| "bigint".to_string(), |t| t.to_string());
                declare.push(format!("{var} {fk_type}[];"));
                collect.push(format!(
                    "{var} := ARRAY(SELECT x.{} FROM {s} AS x WHERE x.{sk} = {subject_var} AND x.{} IS NOT NULL);",
                    ident(fk),
                    ident(fk)
                ));
                if audit && !key.is_empty() {
                    collect.push(format!(
                        "erased_keys := erased_keys || coalesce((SELECT jsonb_agg(jsonb_build_object('s', {}, 't', {}, 'k', jsonb_build_object({}))) FROM {t} AS x WHERE x.{} = ANY ({var})), '[]');",
                        lit(&entry.table.schema),
                        lit(&entry.table.name),
                        key_json("x"),
                        ident(rk)
                    ));
                }
                // Every foreign key into this table: a row still referenced stays. With
                // `but_subject`, the subject's own (kept) row does not count.
                let incoming: Vec<&Edge> = all_edges
                    .iter()
                    .filter(|e| {
                        e.parent == entry.table && e.ref_columns.len() == 1 && e.columns.len() == 1
                    })
                    .collect();
                let unreferenced = |but_subject: bool| -> Vec<String> {
                    incoming
                        .iter()
                        .map(|e| {
                            let own = if but_subject && e.child == plan.subject {
                                format!(" AND r.{sk} <> {subject_var}")
                            } else {
                                String::new()
                            };
                            format!(
                                "NOT EXISTS (SELECT FROM {} AS r WHERE r.{} = x.{}{own})",
                                qname(&e.child),
                                ident(&e.columns[0]),
                                ident(&e.ref_columns[0])
                            )
                        })
                        .collect()
                };
                let refs = unreferenced(false);
                let mut cond = vec![format!("x.{} = ANY ({var})", ident(rk))];
                cond.extend(refs);
                body.push(format!(
                    "-- Rows the person referenced (their {}): deleted once nothing references them.\n  DELETE FROM {t} AS x\n  WHERE {};\n  {}",
                    entry.table.name,
                    cond.join("\n    AND "),
                    record(&entry.table, "deleted")
                ));
                let alias_key = format!("x.{}", ident(rk));
                let (set, _) = anonymise_set(table, &entry.personal, &alias_key);
                if !set.is_empty() {
                    body.push(format!(
                        "-- Still referenced by the person's kept row only: anonymised.\n  UPDATE {t} AS x SET {}\n  WHERE x.{} = ANY ({var})\n    AND {}\n    AND {};\n  {}",
                        set.join(", "),
                        ident(rk),
                        unreferenced(true).join("\n    AND "),
                        not_yet(&set),
                        record(&entry.table, "anonymised")
                    ));
                }
            }
        }
    }
    let redact = if audit {
        "-- The audit trail keeps which rows changed, but none of their values.
  FOR entry IN SELECT e FROM jsonb_array_elements(erased_keys) AS e LOOP
    UPDATE audit.log AS a SET old_values = NULL, new_values = NULL, redacted_at = now()
    WHERE a.row_key @> (entry -> 'k') AND a.table_schema = entry ->> 's'
      AND a.table_name = entry ->> 't' AND a.redacted_at IS NULL;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n > 0 THEN
      counts := counts || jsonb_build_object('table', 'audit.log', 'action', 'redacted', 'rows', n);
    END IF;
  END LOOP;"
            .to_string()
    } else {
        String::new()
    };
    format!(
        "CREATE OR REPLACE FUNCTION privacy.erase_subject({subject_var} {key_type}) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  {declare}
BEGIN
  -- Lock the person's row: nothing can be added for them while they are erased.
  PERFORM FROM {s} AS x WHERE x.{sk} = {subject_var} FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO privacy.erasure_log (subject_table, requested_by, found, rows_affected)
    VALUES ({subject_lit}, session_user::text, false, '[]');
    RETURN jsonb_build_object('found', false, 'changes', '[]'::jsonb);
  END IF;
  -- Find every affected row before changing any.
  {collect}
  {body}
  {redact}
  INSERT INTO privacy.erasure_log (subject_table, requested_by, found, rows_affected)
  VALUES ({subject_lit}, session_user::text, true, counts);
  RETURN jsonb_build_object('found', true, 'changes', counts);
END
$$",
        declare = declare.join("\n  "),
        collect = collect.join("\n  "),
        body = body.join("\n  "),
        subject_lit = lit(&plan.subject.to_string()),
    )
}
