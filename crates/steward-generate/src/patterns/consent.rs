//! `consent`: a ledger of consent decisions, `consent.has_consent(subject, purpose)` and the
//! current state per subject and purpose.
//!
//! The ledger is append-only (a trigger refuses UPDATE; only the erasure of a subject
//! deletes rows, through the foreign key): consent is proven by its history, not by a flag.
//! Each decision records the purpose, granted or withdrawn, where it was given (web form,
//! API, support), when, by whom, and which version of the policy text — by its SHA-256, so
//! the text shown can be proven later without storing it per person. `granted` has no
//! default and `has_consent` answers false when there is no decision: nobody is ever opted
//! in by default.

use super::erasure::subject_table;
use crate::script::Script;
use crate::sql::{lit, qname};
use crate::tables::primary_key;
use crate::{GenerateError, Options};
use steward_core::model::Model;

pub fn generate(model: &Model, options: &Options) -> Result<Script, GenerateError> {
    let subject = subject_table(model, options)?;
    let key = match primary_key(subject).as_deref() {
        Some([one]) => one.clone(),
        _ => {
            return Err(GenerateError::NotApplicable(format!(
                "{} needs a single-column primary key to record consent against",
                subject.name
            )))
        }
    };
    let key_type = subject
        .column(&key)
        .and_then(|c| c.data_type.as_ref())
        .map_or_else(|| "bigint".to_string(), |t| t.to_string());
    let mut script = Script::new(format!(
        "steward generate consent: a consent ledger for {}",
        subject.name
    ));
    let invoker = options.server_major.is_none_or(|v| v >= 15);
    script.sql("CREATE SCHEMA IF NOT EXISTS consent");
    script.sql("REVOKE ALL ON SCHEMA consent FROM PUBLIC");
    script.sql(
        "CREATE TABLE IF NOT EXISTS consent.policy (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  purpose text NOT NULL,
  version text NOT NULL,
  -- SHA-256 of the exact text shown to people, lower-case hex.
  text_sha256 text NOT NULL CHECK (text_sha256 ~ '^[0-9a-f]{64}$'),
  published_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (purpose, version)
)",
    );
    script.sql(format!(
        "CREATE TABLE IF NOT EXISTS consent.event (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subject_id {key_type} NOT NULL REFERENCES {subject} ({key}) ON DELETE CASCADE,
  purpose text NOT NULL,
  -- No default: a decision is always recorded explicitly.
  granted boolean NOT NULL,
  policy_id bigint REFERENCES consent.policy (id),
  -- Where the decision was made: 'signup-form', 'preferences-page', 'support-ticket', 'api'.
  source text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  recorded_by text NOT NULL DEFAULT current_user
)",
        subject = qname(&subject.name),
        key = crate::sql::ident(&key),
    ));
    script.sql("REVOKE ALL ON consent.policy, consent.event FROM PUBLIC");
    script.sql("CREATE INDEX IF NOT EXISTS event_subject_purpose_idx ON consent.event (subject_id, purpose, recorded_at DESC, id DESC)");
    script.sql("CREATE INDEX IF NOT EXISTS event_policy_idx ON consent.event (policy_id)");
    script.sql(
        "CREATE OR REPLACE FUNCTION consent.refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'consent.event is append-only: record a new decision instead of changing one'
    USING ERRCODE = 'insufficient_privilege';
END
$$",
    );
    script.sql(
        "CREATE OR REPLACE TRIGGER append_only BEFORE UPDATE ON consent.event
  FOR EACH ROW EXECUTE FUNCTION consent.refuse_change()",
    );
    script.sql(format!(
        "CREATE OR REPLACE VIEW consent.current{} AS
  SELECT DISTINCT ON (e.subject_id, e.purpose)
         e.subject_id, e.purpose, e.granted, e.policy_id, e.source, e.recorded_at
  FROM consent.event AS e
  ORDER BY e.subject_id, e.purpose, e.recorded_at DESC, e.id DESC",
        if invoker {
            " WITH (security_invoker = true)"
        } else {
            ""
        }
    ));
    script.sql(format!(
        "CREATE OR REPLACE FUNCTION consent.has_consent(subject {key_type}, wanted_purpose text)
RETURNS boolean LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT coalesce((
    SELECT e.granted FROM consent.event AS e
    WHERE e.subject_id = subject AND e.purpose = wanted_purpose
    ORDER BY e.recorded_at DESC, e.id DESC
    LIMIT 1), false)
$$"
    ));
    script.sql(format!(
        "COMMENT ON FUNCTION consent.has_consent({key_type}, text) IS {}",
        lit("The subject's latest decision for the purpose; false when there is none (never opted in by default).")
    ));
    script.note(format!(
        "Consent of {} ({key}). Record a decision with INSERT INTO consent.event (subject_id, purpose, granted, policy_id, source) VALUES (…); read it with consent.has_consent(id, 'newsletter') or the consent.current view.",
        subject.name
    ));
    script.note("Erasing a subject deletes their consent history with them (ON DELETE CASCADE); keep the erasure log as the record that it happened.");
    Ok(script)
}
