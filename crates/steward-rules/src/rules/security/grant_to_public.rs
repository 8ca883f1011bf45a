use crate::prelude::*;
use steward_core::model::{GrantObject, Model};

declare_rule! {
    /// Finds privileges granted to PUBLIC, that is, to every role.
    ///
    /// ## What it does
    /// Reports explicit grants to `PUBLIC` that give access to data or the ability to create
    /// objects: any privilege on tables, views and sequences; `CREATE` (or `ALL`) on a schema or
    /// database; `EXECUTE` on a SECURITY DEFINER function. PostgreSQL's built-in defaults
    /// (`CONNECT`/`TEMPORARY` on databases, `USAGE` on schemas, `EXECUTE` on ordinary
    /// functions) are not reported.
    ///
    /// ## Why it matters
    /// PUBLIC includes every role that exists now or is created later: a reporting user, a
    /// compromised service, a contractor's login. `CREATE` on a schema on everyone's
    /// search_path lets any of them plant a function or table that other roles — including
    /// administrators — run by accident.
    ///
    /// ## Example
    /// ```sql
    /// GRANT ALL ON SCHEMA public TO PUBLIC;
    /// GRANT SELECT ON customer TO PUBLIC;
    /// ```
    ///
    /// ## Fix
    /// ```sql
    /// REVOKE CREATE ON SCHEMA public FROM PUBLIC;
    /// REVOKE SELECT ON customer FROM PUBLIC;
    /// GRANT SELECT ON customer TO reporting;
    /// ```
    pub struct GrantToPublic {
        id: "grant-to-public",
        category: Security,
        severity: Warning,
        dialects: [Postgres, Tsql],
        scope: Schema,
    }
}

impl Rule for GrantToPublic {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_schema(&self, ctx: &ModelCtx, out: &mut Vec<Diagnostic>) {
        let model = ctx.model;
        for grant in &model.grants {
            if !grant
                .grantees
                .iter()
                .any(|g| g.eq_ignore_ascii_case("public"))
            {
                continue;
            }
            let risky: Vec<&String> = grant
                .privileges
                .iter()
                .filter(|p| is_risky(model, &grant.object, p))
                .collect();
            if risky.is_empty() {
                continue;
            }
            let privileges = risky
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            let object = object_sql(&grant.object, model.dialect);
            let why = match &grant.object {
                GrantObject::Schema(_) | GrantObject::Database => "every role, including ones created later, can create objects here — on a schema in the search_path that lets anyone plant functions or tables other roles run by accident",
                _ => "every role, including ones created later, gets this access; grant it to the roles that need it instead",
            };
            out.push(
                Self::META
                    .diag(format!("{privileges} on {object} is granted to PUBLIC"))
                    .at(grant.origin.location().cloned())
                    .object(object.clone())
                    .help(why)
                    // The database's name is not part of the model's grant.
                    .fix_opt(
                        (grant.object != GrantObject::Database)
                            .then(|| format!("REVOKE {privileges} ON {object} FROM PUBLIC;")),
                    ),
            );
        }
    }
}

fn is_risky(model: &Model, object: &GrantObject, privilege: &str) -> bool {
    let p = privilege.to_ascii_uppercase();
    match object {
        GrantObject::Database => matches!(p.as_str(), "CREATE" | "ALL"),
        GrantObject::Schema(_) => matches!(p.as_str(), "CREATE" | "ALL"),
        GrantObject::Function(name) => model.functions_named(name).any(|f| f.security_definer),
        GrantObject::AllFunctionsInSchema(_) => false,
        GrantObject::Other(_) => false,
        GrantObject::Table(_) | GrantObject::AllTablesInSchema(_) | GrantObject::Sequence(_) => {
            true
        }
    }
}

/// The object as written in GRANT/REVOKE.
pub(crate) fn object_sql(object: &GrantObject, dialect: Dialect) -> String {
    match object {
        GrantObject::Database => "DATABASE".to_string(),
        GrantObject::Schema(s) => format!("SCHEMA {}", ident(s, dialect)),
        GrantObject::Table(t) => format!("TABLE {}", t.display(dialect)),
        GrantObject::AllTablesInSchema(s) => format!("ALL TABLES IN SCHEMA {}", ident(s, dialect)),
        GrantObject::Sequence(s) => format!("SEQUENCE {}", s.display(dialect)),
        GrantObject::Function(f) => format!("FUNCTION {}", f.display(dialect)),
        GrantObject::AllFunctionsInSchema(s) => {
            format!("ALL FUNCTIONS IN SCHEMA {}", ident(s, dialect))
        }
        GrantObject::Other(o) => o.clone(),
    }
}
