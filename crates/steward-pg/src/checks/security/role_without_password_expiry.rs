use crate::checks::prelude::*;

declare_rule! {
    /// Finds login roles whose password never expires (informational).
    ///
    /// ## What it does
    /// Reports login roles that have a password and no `VALID UNTIL`, other than the bootstrap
    /// superuser. Which roles have a password is in `pg_authid`, readable by superusers only;
    /// for other roles the check reports "not checked". Informational: forced periodic rotation is no longer recommended for people
    /// (NIST SP 800-63B), but service credentials that never expire are the ones found in old
    /// backups, CI logs and laptops years later.
    ///
    /// ## Why it matters
    /// A leaked password of a role without expiry works until someone notices. An expiry date
    /// bounds the damage and forces the rotation that machines, unlike people, handle well.
    ///
    /// ## Example
    /// `role-without-password-expiry: login role app has a password that never expires`
    ///
    /// ## Fix
    /// Rotate service credentials on a schedule (`ALTER ROLE app VALID UNTIL '2027-01-01';`),
    /// or better, use short-lived credentials (IAM / Kerberos / a secrets manager issuing
    /// roles).
    pub struct RoleWithoutPasswordExpiry {
        id: "role-without-password-expiry",
        category: Security,
        severity: Info,
        dialects: [Postgres],
        scope: Live,
    }
}

impl LiveCheck for RoleWithoutPasswordExpiry {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn source(&self, server: &ServerFacts) -> Source {
        if server.superuser {
            Source::Sql(include_str!("role_without_password_expiry.sql"))
        } else {
            Source::Skip(
                "which roles have a password is readable by superusers only (pg_authid)".into(),
            )
        }
    }

    fn evaluate(
        &self,
        rows: &[Row],
        ctx: &CheckCtx,
        out: &mut Vec<Diagnostic>,
    ) -> Result<(), RowError> {
        for row in rows {
            let name = ident(&get::<String>(row, "name")?);
            out.push(
                ctx.meta
                    .diag(format!("login role {name} has a password that never expires"))
                    .object(name.clone())
                    .help("A leaked password works until someone notices. Rotate service credentials on a schedule, or use short-lived credentials issued by a secrets manager.")
                    .fix(format!("ALTER ROLE {name} VALID UNTIL '2027-01-01';  -- and rotate before then")),
            );
        }
        Ok(())
    }
}
