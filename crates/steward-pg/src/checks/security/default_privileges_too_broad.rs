use crate::checks::prelude::*;

declare_rule! {
    /// Finds default privileges that hand future objects to PUBLIC or grant everything.
    ///
    /// ## What it does
    /// Reads the `ALTER DEFAULT PRIVILEGES` entries (`pg_default_acl`) and reports those that
    /// grant to PUBLIC on future tables, sequences or schemas, and those that grant ALL
    /// privileges (or INSERT, UPDATE, DELETE and TRUNCATE together) on future tables to
    /// another role. EXECUTE on functions and USAGE on types for PUBLIC are PostgreSQL's own
    /// defaults and are not reported.
    ///
    /// ## Why it matters
    /// Default privileges apply silently to every object created later: a table added next
    /// year for payment data is readable by every role the day it is created, and nobody
    /// reviewing that migration sees a GRANT.
    ///
    /// ## Example
    /// `default-privileges-too-broad: future tables in schema public are granted SELECT to PUBLIC`
    ///
    /// ## Fix
    /// `ALTER DEFAULT PRIVILEGES [FOR ROLE owner] [IN SCHEMA s] REVOKE … FROM PUBLIC;` and grant
    /// the application roles exactly what they need (`steward generate roles`).
    pub struct DefaultPrivilegesTooBroad {
        id: "default-privileges-too-broad",
        category: Security,
        severity: Warning,
        dialects: [Postgres],
        scope: Live,
    }
}

impl LiveCheck for DefaultPrivilegesTooBroad {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn source(&self, _: &ServerFacts) -> Source {
        Source::Model
    }

    fn evaluate(
        &self,
        _: &[Row],
        ctx: &CheckCtx,
        out: &mut Vec<Diagnostic>,
    ) -> Result<(), RowError> {
        for d in &ctx.model.default_privileges {
            let privs: Vec<String> = d
                .privileges
                .iter()
                .map(|p| p.to_ascii_uppercase())
                .collect();
            let all = privs.iter().any(|p| p == "ALL")
                || ["INSERT", "UPDATE", "DELETE", "TRUNCATE"]
                    .iter()
                    .all(|w| privs.iter().any(|p| p == w));
            let scope = match &d.schema {
                Some(s) => format!("in schema {}", ident(s)),
                None => "in every schema".to_string(),
            };
            let owner = d
                .for_role
                .as_deref()
                .map(|r| format!(" created by {}", ident(r)))
                .unwrap_or_default();
            for grantee in &d.grantees {
                // The owner's own entry is not a grant to anyone else; EXECUTE on functions and
                // USAGE on types are PostgreSQL's own defaults for PUBLIC.
                if d.for_role.as_deref() == Some(grantee.as_str()) {
                    continue;
                }
                let public = grantee.eq_ignore_ascii_case("public")
                    && matches!(d.object_kind.as_str(), "tables" | "sequences" | "schemas");
                if !(public || all && d.object_kind == "tables") {
                    continue;
                }
                let who = if public {
                    "PUBLIC".to_string()
                } else {
                    ident(grantee)
                };
                let for_role = d
                    .for_role
                    .as_deref()
                    .map(|r| format!("FOR ROLE {} ", ident(r)))
                    .unwrap_or_default();
                let in_schema = d
                    .schema
                    .as_deref()
                    .map(|s| format!("IN SCHEMA {} ", ident(s)))
                    .unwrap_or_default();
                out.push(
                    ctx.meta
                        .diag(format!(
                            "future {} {scope}{owner} are granted {} to {who}",
                            d.object_kind,
                            privs.join(", ")
                        ))
                        .object(format!("default privileges {} {scope}", d.object_kind))
                        .help("Default privileges apply silently to every object created later: tomorrow's table of payment data is readable the day it is created, and the migration that creates it shows no GRANT. Grant application roles exactly what they need instead.")
                        .fix(format!(
                            "ALTER DEFAULT PRIVILEGES {for_role}{in_schema}REVOKE {} ON {} FROM {who};",
                            privs.join(", "),
                            d.object_kind.to_ascii_uppercase()
                        )),
                );
            }
        }
        Ok(())
    }
}
