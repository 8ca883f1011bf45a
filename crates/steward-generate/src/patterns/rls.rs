//! `rls`: tenant isolation with row-level security.
//!
//! For every table with the tenant column: `ENABLE` and `FORCE ROW LEVEL SECURITY` (FORCE so
//! the table's owner — often the role the application connects as — is held to the policies
//! too), one policy per command with `WITH CHECK` on writes so a row cannot be moved into
//! another tenant, and an index on the tenant column. The current tenant comes from
//! `current_setting('app.tenant_id', true)`: unset or empty means no tenant, which matches no
//! row (never every row). The setting is read once per statement (`(SELECT …)` becomes an
//! InitPlan), not once per row.

use crate::script::Script;
use crate::sql::{ident, object_name, qname};
use crate::tables::{has_leading_index, selected};
use crate::{GenerateError, Options};
use steward_core::model::Model;

pub fn generate(model: &Model, options: &Options) -> Result<Script, GenerateError> {
    let column = options.tenant_column.as_str();
    let mut script = Script::new(format!(
        "steward generate rls: tenant isolation on {column} with row-level security"
    ));
    let named = !options.tables.is_empty();
    let mut covered = 0;
    for table in selected(model, options)? {
        let Some(col) = table.column(column) else {
            if named {
                return Err(GenerateError::NotApplicable(format!(
                    "{} has no column {column} (choose it with --tenant-column)",
                    table.name
                )));
            }
            continue;
        };
        covered += 1;
        let name = qname(&table.name);
        let ty = col
            .data_type
            .as_ref()
            .map_or_else(|| "text".to_string(), |t| t.to_string());
        let current = format!("(SELECT nullif(current_setting('app.tenant_id', true), '')::{ty})");
        let tenant = format!("{} = {current}", ident(column));
        script.sql(format!("ALTER TABLE {name} ENABLE ROW LEVEL SECURITY"));
        script.sql(format!("ALTER TABLE {name} FORCE ROW LEVEL SECURITY"));
        for (command, using, check) in [
            ("SELECT", true, false),
            ("INSERT", false, true),
            ("UPDATE", true, true),
            ("DELETE", true, false),
        ] {
            let policy = ident(&object_name(&["tenant_isolation", &command.to_lowercase()]));
            script.sql(format!("DROP POLICY IF EXISTS {policy} ON {name}"));
            let mut sql = format!("CREATE POLICY {policy} ON {name} FOR {command}");
            if using {
                sql.push_str(&format!("\n  USING ({tenant})"));
            }
            if check {
                sql.push_str(&format!("\n  WITH CHECK ({tenant})"));
            }
            script.sql(sql);
        }
        if !has_leading_index(model, table, &[column.to_string()]) {
            let index = object_name(&[&table.name.name, column, "idx"]);
            script.concurrent_index(&table.name, &index, false, &ident(column), None);
        }
    }
    if covered == 0 {
        return Err(GenerateError::NotApplicable(format!(
            "no table has a {column} column (choose the tenant column with --tenant-column)"
        )));
    }
    let rw = format!("{}_rw", options.role_prefix);
    script.notes.insert(0, format!(
        "Isolates {covered} table(s) by {column}. The application sets the tenant at the start of every transaction with SET LOCAL app.tenant_id = '…' (SET LOCAL, never SET, behind a transaction-mode pooler). Without it, queries see no rows and writes fail."
    ));
    script.note(format!(
        "Assumed roles: the application connects as {} (see steward generate roles), which must not be a superuser or have BYPASSRLS — both ignore every policy, FORCE or not. Check with: SELECT rolname FROM pg_roles WHERE rolsuper OR rolbypassrls;",
        ident(&rw)
    ));
    script.note("The table of tenants itself is not covered. A cross-tenant job (billing, support) needs its own role with BYPASSRLS, used for nothing else.");
    Ok(script)
}
