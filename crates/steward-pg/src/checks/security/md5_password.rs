use crate::checks::prelude::*;

declare_rule! {
    /// Finds passwords stored as MD5 hashes, and servers that still hash new passwords with MD5.
    ///
    /// ## What it does
    /// Reports roles whose stored password is an MD5 hash (reading `pg_authid` needs a
    /// superuser; other roles get a "not checked" note) and `password_encryption = md5`. The
    /// hash is never read into steward, only its kind.
    ///
    /// ## Why it matters
    /// An MD5 hash is salted only with the user name and is enough to log in (it is what the
    /// md5 handshake proves): a leaked backup or replica of `pg_authid` is a leaked password.
    /// SCRAM-SHA-256 stores a salted, iterated verifier that cannot be replayed. PostgreSQL is
    /// deprecating MD5 passwords.
    ///
    /// ## Example
    /// `md5-password: role app has an MD5-hashed password`
    ///
    /// ## Fix
    /// `SET password_encryption = 'scram-sha-256';` then set each password again
    /// (`\password app` in psql) and use `scram-sha-256` in pg_hba.conf.
    pub struct Md5Password {
        id: "md5-password",
        category: Security,
        severity: Warning,
        dialects: [Postgres],
        scope: Live,
    }
}

impl LiveCheck for Md5Password {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn limitation(&self, server: &ServerFacts) -> Option<String> {
        (!server.superuser).then(|| {
            "stored password hashes (pg_authid) are readable by superusers only; only password_encryption was checked".to_string()
        })
    }

    fn source(&self, server: &ServerFacts) -> Source {
        if server.superuser {
            Source::Sql(include_str!("md5_password.sql"))
        } else {
            Source::Sql(include_str!("md5_password_setting.sql"))
        }
    }

    fn evaluate(
        &self,
        rows: &[Row],
        ctx: &CheckCtx,
        out: &mut Vec<Diagnostic>,
    ) -> Result<(), RowError> {
        for row in rows {
            let kind: String = get(row, "kind")?;
            let name: String = get(row, "name")?;
            if kind == "setting" {
                out.push(
                    ctx.meta
                        .diag("password_encryption is md5: new and changed passwords are stored as MD5 hashes")
                        .object("password_encryption")
                        .help("MD5 hashes are enough to log in and are salted only with the user name. Hash with SCRAM-SHA-256.")
                        .fix("ALTER SYSTEM SET password_encryption = 'scram-sha-256';\nSELECT pg_reload_conf();"),
                );
            } else {
                let role = ident(&name);
                out.push(
                    ctx.meta
                        .diag(format!("role {role} has an MD5-hashed password"))
                        .object(role.clone())
                        .help("Anyone who obtains the hash (a backup, a replica, a log) can log in as this role. Re-set the password with password_encryption = 'scram-sha-256' (psql: \\password), then require scram-sha-256 in pg_hba.conf.")
                        .fix(format!("SET password_encryption = 'scram-sha-256';\n-- then, in psql: \\password {role}")),
                );
            }
        }
        Ok(())
    }
}
