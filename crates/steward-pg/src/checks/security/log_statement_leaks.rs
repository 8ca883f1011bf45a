use crate::checks::prelude::*;

declare_rule! {
    /// Finds statement logging that copies passwords and personal data into the server log.
    ///
    /// ## What it does
    /// Reports `log_statement` set to `ddl`, `mod` or `all`, and `log_min_duration_statement
    /// = 0`, as the audited role's session sees them (server, database and role settings
    /// included).
    ///
    /// ## Why it matters
    /// Logged statements are logged with their literals: `ALTER ROLE app PASSWORD '…'` (a DDL
    /// statement), `INSERT INTO users (email, ssn) VALUES (…)`. Logs are shipped to aggregators,
    /// kept for months and readable by far more people than the database — a copy of secrets
    /// and personal data outside every access control and every erasure request.
    ///
    /// ## Example
    /// `log-statement-leaks: log_statement = 'all' writes every statement, with its literals, to the server log`
    ///
    /// ## Fix
    /// `ALTER SYSTEM SET log_statement = 'none';` and log slow statements by duration
    /// (`log_min_duration_statement = 1000`) instead; use pg_stat_statements, which stores no
    /// literals, for workload analysis.
    pub struct LogStatementLeaks {
        id: "log-statement-leaks",
        category: Security,
        severity: Warning,
        dialects: [Postgres],
        scope: Live,
    }
}

impl LiveCheck for LogStatementLeaks {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn source(&self, _: &ServerFacts) -> Source {
        Source::Sql(include_str!("log_statement_leaks.sql"))
    }

    fn evaluate(
        &self,
        rows: &[Row],
        ctx: &CheckCtx,
        out: &mut Vec<Diagnostic>,
    ) -> Result<(), RowError> {
        for row in rows {
            let log_statement: String = get(row, "log_statement")?;
            let duration: String = get(row, "log_min_duration_statement")?;
            if matches!(log_statement.as_str(), "ddl" | "mod" | "all") {
                let what = match log_statement.as_str() {
                    "ddl" => "every schema change, including ALTER ROLE … PASSWORD",
                    "mod" => "every data change and schema change",
                    _ => "every statement",
                };
                out.push(
                    ctx.meta
                        .diag(format!("log_statement = '{log_statement}' writes {what}, with its literals, to the server log"))
                        .object("log_statement")
                        .help("Passwords in ALTER ROLE and personal data in INSERTs and UPDATEs end up in log files, outside every access control and erasure request. Log slow statements by duration instead, and use pg_stat_statements (no literals) for workload analysis.")
                        .fix("ALTER SYSTEM SET log_statement = 'none';\nSELECT pg_reload_conf();\n-- and check ALTER DATABASE / ALTER ROLE … SET log_statement overrides"),
                );
            }
            if duration == "0" {
                out.push(
                    ctx.meta
                        .diag("log_min_duration_statement = 0 writes every statement, with its literals, to the server log")
                        .object("log_min_duration_statement")
                        .help("Every statement's text, secrets and personal data included, is logged. Log only slow statements.")
                        .fix("ALTER SYSTEM SET log_min_duration_statement = 1000;  -- milliseconds\nSELECT pg_reload_conf();"),
                );
            }
        }
        Ok(())
    }
}
