use super::grant_to_public::object_sql;
use crate::prelude::*;
use steward_core::model::{GrantObject, Model};

declare_rule! {
    /// Finds `GRANT ALL PRIVILEGES` to a role.
    ///
    /// ## What it does
    /// Reports grants of `ALL [PRIVILEGES]` (T-SQL also `CONTROL`) on tables, schemas,
    /// sequences, functions or the database to a role other than the object's owner. Grants to
    /// PUBLIC are reported by `grant-to-public` instead.
    ///
    /// ## Why it matters
    /// ALL on a table includes TRUNCATE (empty it in one statement, bypassing DELETE triggers),
    /// REFERENCES (block deletes by adding foreign keys) and TRIGGER (run code on every write).
    /// An application role holding them turns one SQL injection or leaked password into data
    /// loss. Least privilege keeps the blast radius to what the application really does.
    ///
    /// ## Example
    /// ```sql
    /// GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA public TO app;
    /// ```
    ///
    /// ## Fix
    /// ```sql
    /// REVOKE ALL ON ALL TABLES IN SCHEMA public FROM app;
    /// GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO app;
    /// ```
    pub struct GrantAllPrivileges {
        id: "grant-all-privileges",
        category: Security,
        severity: Warning,
        dialects: [Postgres, Tsql],
        scope: Schema,
    }
}

impl Rule for GrantAllPrivileges {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_schema(&self, ctx: &ModelCtx, out: &mut Vec<Diagnostic>) {
        let model = ctx.model;
        let dialect = model.dialect;
        for grant in &model.grants {
            if !grant
                .privileges
                .iter()
                .any(|p| p.eq_ignore_ascii_case("ALL") || p.eq_ignore_ascii_case("CONTROL"))
            {
                continue;
            }
            let owner = owner_of(model, &grant.object);
            for grantee in &grant.grantees {
                // PUBLIC is grant-to-public's; the owner and the bootstrap superuser hold every
                // privilege anyway (dumps restate them).
                let redundant = grantee.eq_ignore_ascii_case("public")
                    || grantee == "postgres"
                    || owner.is_some_and(|o| o == grantee);
                if redundant {
                    continue;
                }
                let object = object_sql(&grant.object, dialect);
                let specific = match &grant.object {
                    GrantObject::Table(_) | GrantObject::AllTablesInSchema(_) => {
                        "SELECT, INSERT, UPDATE, DELETE"
                    }
                    GrantObject::Schema(_) => "USAGE",
                    GrantObject::Sequence(_) => "USAGE, SELECT",
                    GrantObject::Function(_) | GrantObject::AllFunctionsInSchema(_) => "EXECUTE",
                    GrantObject::Database => "CONNECT",
                    GrantObject::Other(_) => continue,
                };
                let role = ident(grantee, dialect);
                let fix = (grant.object != GrantObject::Database).then(|| {
                    format!("REVOKE ALL ON {object} FROM {role};\nGRANT {specific} ON {object} TO {role};")
                });
                out.push(
                    Self::META
                        .diag(format!("ALL privileges on {object} are granted to {grantee}"))
                        .at(grant.origin.location().cloned())
                        .object(object)
                        .help("ALL includes TRUNCATE, REFERENCES and TRIGGER (and CREATE on schemas): far more than an application needs; grant only the privileges it uses")
                        .fix_opt(fix),
                );
            }
        }
    }
}

fn owner_of<'m>(model: &'m Model, object: &'m GrantObject) -> Option<&'m str> {
    match object {
        GrantObject::Table(t) => model.table(t)?.owner.as_deref(),
        GrantObject::Schema(s) => model
            .schemas
            .values()
            .find(|x| x.name.eq_ignore_ascii_case(s))?
            .owner
            .as_deref(),
        GrantObject::Function(f) => model.functions_named(f).next()?.owner.as_deref(),
        _ => None,
    }
}
