//! `roles`: least privilege for an application's database.
//!
//! - `<prefix>_owner` (NOLOGIN) owns the schema objects; `<prefix>_migrator` (LOGIN) is a
//!   member and runs migrations. Nobody else can change the schema.
//! - `<prefix>_rw` (LOGIN): SELECT, INSERT, UPDATE, and DELETE except on tables that use soft
//!   delete (a `deleted_at` column), where deleting is an UPDATE.
//! - `<prefix>_ro` (LOGIN, read-only sessions): SELECT on every column except secrets
//!   (password hashes, tokens, keys).
//! - `<prefix>_mcp` (LOGIN, read-only sessions, short statement timeout) for `steward mcp`:
//!   SELECT on columns that hold no personal data at all, so an AI agent never sees any.
//!
//! Plus `ALTER DEFAULT PRIVILEGES` so tables the owner creates later get the same grants,
//! `REVOKE CREATE ON SCHEMA public FROM PUBLIC`, connection limits, and no grants at all on
//! the audit log (its trigger writes as the log's owner). Passwords are never in the script:
//! set them with psql's `\password`.

use crate::script::Script;
use crate::sql::{ident, ident_list, lit, qname};
use crate::tables::{is_user_table, pii, selected};
use crate::{GenerateError, Options};
use std::collections::BTreeSet;
use steward_core::model::Model;
use steward_rules::rules::privacy::pii::PiiClass;

pub fn generate(model: &Model, options: &Options) -> Result<Script, GenerateError> {
    let p = &options.role_prefix;
    if p.is_empty() || !p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(GenerateError::NotApplicable(format!(
            "role prefix `{p}`: use letters, digits and underscores"
        )));
    }
    let owner = format!("{p}_owner");
    let migrator = format!("{p}_migrator");
    let rw = format!("{p}_rw");
    let ro = format!("{p}_ro");
    let mcp = format!("{p}_mcp");
    let mut script = Script::new(format!(
        "steward generate roles: least-privilege roles {owner}, {migrator}, {rw}, {ro}, {mcp}"
    ));
    let tables = selected(model, options)?;

    // CREATE ROLE has no IF NOT EXISTS; the attributes are (re)asserted below either way.
    let mut create = String::from("DO $$\nBEGIN\n");
    for role in [&owner, &migrator, &rw, &ro, &mcp] {
        create.push_str(&format!(
            "  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = {}) THEN\n    CREATE ROLE {} NOLOGIN;\n  END IF;\n",
            lit(role),
            ident(role)
        ));
    }
    create.push_str("END\n$$");
    script.sql(create);
    let safe = "NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS";
    script.sql(format!("ALTER ROLE {} NOLOGIN {safe}", ident(&owner)));
    script.sql(format!(
        "ALTER ROLE {} LOGIN {safe} CONNECTION LIMIT 3",
        ident(&migrator)
    ));
    script.sql(format!(
        "ALTER ROLE {} LOGIN {safe} CONNECTION LIMIT 100",
        ident(&rw)
    ));
    script.sql(format!(
        "ALTER ROLE {} LOGIN {safe} CONNECTION LIMIT 20",
        ident(&ro)
    ));
    script.sql(format!(
        "ALTER ROLE {} LOGIN {safe} CONNECTION LIMIT 5",
        ident(&mcp)
    ));
    script.sql(format!("GRANT {} TO {}", ident(&owner), ident(&migrator)));
    for role in [&ro, &mcp] {
        script.sql(format!(
            "ALTER ROLE {} SET default_transaction_read_only = on",
            ident(role)
        ));
    }
    script.sql(format!(
        "ALTER ROLE {} SET statement_timeout = '30s'",
        ident(&mcp)
    ));
    script.sql(format!(
        "ALTER ROLE {} SET statement_timeout = '60s'",
        ident(&rw)
    ));
    script.sql(format!(
        "ALTER ROLE {} SET idle_in_transaction_session_timeout = '60s'",
        ident(&rw)
    ));
    script.sql("REVOKE CREATE ON SCHEMA public FROM PUBLIC");

    let schemas: BTreeSet<&str> = tables.iter().map(|t| t.name.schema.as_str()).collect();
    let readers = format!("{}, {}, {}", ident(&rw), ident(&ro), ident(&mcp));
    for schema in &schemas {
        let s = ident(schema);
        script.sql(format!(
            "GRANT USAGE, CREATE ON SCHEMA {s} TO {}",
            ident(&owner)
        ));
        script.sql(format!("GRANT USAGE ON SCHEMA {s} TO {readers}"));
        script.sql(format!(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {}",
            ident(&owner),
            ident(&rw)
        ));
        script.sql(format!(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {s} GRANT SELECT ON TABLES TO {}",
            ident(&owner),
            ident(&ro)
        ));
        script.sql(format!(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {s} GRANT USAGE, SELECT ON SEQUENCES TO {}",
            ident(&owner),
            ident(&rw)
        ));
    }
    let mut soft = Vec::new();
    let mut restricted = 0;
    for table in &tables {
        let name = qname(&table.name);
        script.sql(format!("REVOKE ALL ON {name} FROM PUBLIC"));
        let soft_delete = table.column("deleted_at").is_some();
        if soft_delete {
            soft.push(table.name.to_string());
        }
        script.sql(format!(
            "GRANT SELECT, INSERT, UPDATE{} ON {name} TO {}",
            if soft_delete { "" } else { ", DELETE" },
            ident(&rw)
        ));
        if soft_delete {
            script.sql(format!("REVOKE DELETE ON {name} FROM {}", ident(&rw)));
        }
        let classes: Vec<Option<PiiClass>> = table
            .columns
            .iter()
            .map(|c| pii(table, c).map(|p| p.class))
            .collect();
        let columns_where = |keep: &dyn Fn(Option<PiiClass>) -> bool| -> Vec<String> {
            table
                .columns
                .iter()
                .zip(&classes)
                .filter(|(_, class)| keep(**class))
                .map(|(c, _)| c.name.clone())
                .collect()
        };
        let ro_columns = columns_where(&|c| c != Some(PiiClass::Secret));
        let mcp_columns = columns_where(&|c| c.is_none());
        for (role, columns) in [(&ro, ro_columns), (&mcp, mcp_columns)] {
            // Column grants only work on top of no table grant: start from none.
            script.sql(format!("REVOKE SELECT ON {name} FROM {}", ident(role)));
            if columns.len() == table.columns.len() {
                script.sql(format!("GRANT SELECT ON {name} TO {}", ident(role)));
            } else {
                restricted += 1;
                if !columns.is_empty() {
                    script.sql(format!(
                        "GRANT SELECT ({}) ON {name} TO {}",
                        ident_list(&columns),
                        ident(role)
                    ));
                }
            }
        }
    }
    for sequence in model.sequences.values() {
        if schemas.contains(sequence.name.schema.as_str()) {
            script.sql(format!(
                "GRANT USAGE, SELECT ON SEQUENCE {} TO {}",
                qname(&sequence.name),
                ident(&rw)
            ));
        }
    }
    let all = format!("{}, {readers}", ident(&migrator));
    if model
        .tables
        .keys()
        .any(|t| t.schema == "audit" && t.name == "log")
    {
        script.sql(format!("REVOKE ALL ON audit.log FROM {all}"));
    }
    if model
        .tables
        .keys()
        .any(|t| t.schema == "consent" && t.name == "event")
    {
        script.sql(format!("GRANT USAGE ON SCHEMA consent TO {readers}"));
        script.sql(format!(
            "GRANT SELECT, INSERT ON consent.event TO {}",
            ident(&rw)
        ));
        script.sql(format!(
            "REVOKE UPDATE, DELETE, TRUNCATE ON consent.event FROM {}",
            ident(&rw)
        ));
        script.sql(format!(
            "GRANT SELECT ON consent.policy, consent.current TO {}",
            ident(&rw)
        ));
    }
    let untouched = model
        .tables
        .values()
        .filter(|t| is_user_table(t))
        .count()
        .saturating_sub(tables.len());
    script.notes.insert(0, format!(
        "Roles for {} table(s) in schema(s) {}. Passwords are not part of the script: set them with psql's \\password {rw} (and the other login roles).",
        tables.len(),
        schemas.iter().copied().collect::<Vec<_>>().join(", ")
    ));
    script.note(format!(
        "Objects must belong to {owner} for the default privileges to apply: create them as {migrator} after SET ROLE {owner}, and move existing ones with ALTER TABLE … OWNER TO {owner} (or REASSIGN OWNED)."
    ));
    if !soft.is_empty() {
        script.note(format!(
            "{rw} gets no DELETE on tables with soft delete: {}.",
            soft.join(", ")
        ));
    }
    if restricted > 0 {
        script.note(format!(
            "{ro} cannot read secrets (password hashes, tokens, keys); {mcp} cannot read any personal data: both get column grants on the {restricted} table/role pairs concerned. Tables created later get whole-table SELECT for {ro} through the default privileges and nothing for {mcp} until you grant it."
        ));
    }
    if untouched > 0 {
        script.note(format!(
            "{untouched} other table(s) were left out (--table)."
        ));
    }
    Ok(script)
}
