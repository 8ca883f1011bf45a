use crate::checks::prelude::*;

declare_rule! {
    /// Finds servers that listen on the network without offering TLS.
    ///
    /// ## What it does
    /// Reports `ssl = off` when `listen_addresses` includes anything beyond the loopback
    /// interface (a server reachable only through `localhost` or Unix sockets is not flagged).
    ///
    /// ## Why it matters
    /// Without TLS, queries, results — personal data included — and the authentication
    /// exchange cross the network in clear text, and clients cannot verify they talk to the
    /// real server.
    ///
    /// ## Example
    /// `ssl-off: the server listens on '*' without TLS`
    ///
    /// ## Fix
    /// Install a certificate and key (`ssl_cert_file`, `ssl_key_file`), `ALTER SYSTEM SET ssl = on;`
    /// and reload; then require it with `hostssl` lines in pg_hba.conf and `sslmode=verify-full`
    /// in clients.
    pub struct SslOff {
        id: "ssl-off",
        category: Security,
        severity: Warning,
        dialects: [Postgres],
        scope: Live,
    }
}

fn loopback_only(listen: &str) -> bool {
    listen
        .split(',')
        .map(str::trim)
        .all(|a| matches!(a, "" | "localhost" | "127.0.0.1" | "::1"))
}

impl LiveCheck for SslOff {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn source(&self, _: &ServerFacts) -> Source {
        Source::Sql(include_str!("ssl_off.sql"))
    }

    fn evaluate(
        &self,
        rows: &[Row],
        ctx: &CheckCtx,
        out: &mut Vec<Diagnostic>,
    ) -> Result<(), RowError> {
        for row in rows {
            let ssl: String = get(row, "ssl")?;
            let listen: String = get(row, "listen_addresses")?;
            if ssl == "on" || loopback_only(&listen) {
                continue;
            }
            out.push(
                ctx.meta
                    .diag(format!("the server listens on '{listen}' without TLS"))
                    .object("ssl")
                    .help("Queries, results and the authentication exchange cross the network in clear text, and clients cannot tell the real server from an impostor. Enable TLS, require it with hostssl lines in pg_hba.conf, and connect with sslmode=verify-full.")
                    .fix("-- with ssl_cert_file and ssl_key_file in place:\nALTER SYSTEM SET ssl = on;\nSELECT pg_reload_conf();"),
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn loopback() {
        assert!(super::loopback_only("localhost"));
        assert!(super::loopback_only("127.0.0.1, ::1"));
        assert!(super::loopback_only(""));
        assert!(!super::loopback_only("*"));
        assert!(!super::loopback_only("localhost,10.0.0.5"));
    }
}
