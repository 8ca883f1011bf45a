use crate::checks::prelude::*;

declare_rule! {
    /// Finds non-superuser roles with `BYPASSRLS`, which ignore every row-level security policy.
    ///
    /// ## What it does
    /// Reports roles that have `BYPASSRLS` without being superusers (superusers bypass RLS
    /// anyway and are reported by `superuser-login-role`).
    ///
    /// ## Why it matters
    /// Row-level security is often the only thing keeping one tenant's rows from another.
    /// A role with `BYPASSRLS` sees and changes every row of every table regardless of
    /// policies — fine for a backup role, a breach waiting to happen for an application.
    ///
    /// ## Example
    /// `role-bypassrls: role app bypasses row-level security`
    ///
    /// ## Fix
    /// `ALTER ROLE app NOBYPASSRLS;` unless it is a dedicated backup/maintenance role.
    pub struct RoleBypassrls {
        id: "role-bypassrls",
        category: Security,
        severity: Warning,
        dialects: [Postgres],
        scope: Live,
    }
}

impl LiveCheck for RoleBypassrls {
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
        for role in ctx.model.roles.values() {
            if !role.bypass_rls || role.superuser {
                continue;
            }
            let name = ident(&role.name);
            out.push(
                ctx.meta
                    .diag(format!(
                        "role {name} bypasses row-level security{}",
                        if role.login { " and can log in" } else { "" }
                    ))
                    .object(name.clone())
                    .help("BYPASSRLS ignores every row-level security policy, so tenant or owner isolation does not apply to this role. Keep it for dedicated backup or maintenance roles only.")
                    .fix(format!("ALTER ROLE {name} NOBYPASSRLS;")),
            );
        }
        Ok(())
    }
}
