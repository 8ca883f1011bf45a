use crate::checks::prelude::*;

declare_rule! {
    /// Finds roles other than the bootstrap superuser that can log in as superuser.
    ///
    /// ## What it does
    /// Reports login roles with `SUPERUSER`, except the role that owns the cluster (the one
    /// `initdb` created, usually `postgres`), which administrators need.
    ///
    /// ## Why it matters
    /// A superuser bypasses every permission and row-level security policy, can read server
    /// files and run programs as the server's OS user (`COPY … TO PROGRAM`). An application or
    /// person logging in as one turns any SQL injection or leaked password into full control
    /// of the server.
    ///
    /// ## Example
    /// `superuser-login-role: role app can log in and is a superuser`
    ///
    /// ## Fix
    /// `ALTER ROLE app NOSUPERUSER;` and grant only what it needs (`steward generate roles`).
    pub struct SuperuserLoginRole {
        id: "superuser-login-role",
        category: Security,
        severity: Error,
        dialects: [Postgres],
        scope: Live,
    }
}

impl LiveCheck for SuperuserLoginRole {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn source(&self, _: &ServerFacts) -> Source {
        Source::Sql(include_str!("superuser_login_role.sql"))
    }

    fn evaluate(
        &self,
        rows: &[Row],
        ctx: &CheckCtx,
        out: &mut Vec<Diagnostic>,
    ) -> Result<(), RowError> {
        for row in rows {
            let name: String = get(row, "name")?;
            out.push(
                ctx.meta
                    .diag(format!("role {} can log in and is a superuser", ident(&name)))
                    .object(ident(&name))
                    .help("A superuser bypasses all permissions and row-level security and can run programs as the server's OS user; a leaked password or an SQL injection through this role is full control of the server. Keep superuser for the cluster owner and give applications least-privilege roles (`steward generate roles`).")
                    .fix(format!("ALTER ROLE {} NOSUPERUSER;", ident(&name))),
            );
        }
        Ok(())
    }
}
