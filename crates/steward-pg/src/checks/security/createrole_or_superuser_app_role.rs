use crate::checks::prelude::*;

declare_rule! {
    /// Finds login roles that can create roles (CREATEROLE) — a step from superuser.
    ///
    /// ## What it does
    /// Reports login roles with `CREATEROLE` that are not superusers (login superusers are
    /// reported by `superuser-login-role`).
    ///
    /// ## Why it matters
    /// Before PostgreSQL 16, a CREATEROLE role can grant itself membership in any
    /// non-superuser role, including `pg_read_server_files`, `pg_write_server_files` and
    /// `pg_execute_server_program` — reading files and running programs as the server's OS
    /// user. Even on 16+, it administers every role it creates. An application role needs
    /// none of it.
    ///
    /// ## Example
    /// `createrole-or-superuser-app-role: login role app can create and manage roles (CREATEROLE)`
    ///
    /// ## Fix
    /// `ALTER ROLE app NOCREATEROLE;` — keep role management with an administrator role that
    /// applications never use (`steward generate roles`).
    pub struct CreateroleOrSuperuserAppRole {
        id: "createrole-or-superuser-app-role",
        category: Security,
        severity: Warning,
        dialects: [Postgres],
        scope: Live,
    }
}

impl LiveCheck for CreateroleOrSuperuserAppRole {
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
            if !role.login || !role.create_role || role.superuser {
                continue;
            }
            let name = ident(&role.name);
            out.push(
                ctx.meta
                    .diag(format!("login role {name} can create and manage roles (CREATEROLE)"))
                    .object(name.clone())
                    .help("Before PostgreSQL 16 a CREATEROLE role can make itself a member of pg_read_server_files or pg_execute_server_program, i.e. read files and run programs as the server; an application role needs none of this. Keep role management with an administrator role applications never log in as.")
                    .fix(format!("ALTER ROLE {name} NOCREATEROLE;")),
            );
        }
        Ok(())
    }
}
