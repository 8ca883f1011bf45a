use crate::prelude::*;

declare_rule! {
    /// Finds SQL built from strings in application code and passed to a database call.
    ///
    /// ## What it does
    /// With `steward lint --app-code PATHS`, reads Python, JavaScript/TypeScript, Go, Java,
    /// Ruby, PHP, C# and Rust source and reports each call to a database execute/query API
    /// (`cursor.execute`, `client.query`, `db.Query`, `stmt.executeQuery`, `mysqli_query`,
    /// `new SqlCommand`, `sqlx::query`, …) whose SQL text is built by concatenation,
    /// interpolation (f-strings, template literals, `#{}`, `$"…"`) or a format call
    /// (`%`, `.format`, `fmt.Sprintf`, `String.format`, `format!`), directly or through a
    /// variable built that way earlier in the same function. Constant strings, values passed
    /// separately as parameters, and pieces wrapped in the driver's identifier or literal
    /// quoting helper (`psycopg.sql.Identifier`, `pq.QuoteIdentifier`, `escapeIdentifier`,
    /// `format('%I')`, …) are not reported. The message names the sink, never the string's
    /// contents. Suppress one finding with a `steward-ignore: app-code-sql-injection`
    /// comment on the line or the line above.
    ///
    /// ## Why it matters
    /// Whoever controls the spliced value controls the statement: `' OR '1'='1` reads every
    /// row, `'; DROP TABLE …` destroys data, and the statement runs with the application's
    /// database role. SQL injection is still among the most exploited flaws, and it is
    /// invisible to every database-side control.
    ///
    /// ## Example
    /// ```text
    /// cur.execute(f"SELECT * FROM users WHERE email = '{email}'")
    /// ```
    ///
    /// ## Fix
    /// Pass values as parameters in the driver's placeholder style (psycopg `%s`,
    /// node-postgres `$1`, database/sql `$1`/`?`, JDBC `?`, ADO.NET `@p`), and quote
    /// identifiers with the driver's helper:
    /// ```text
    /// cur.execute("SELECT * FROM users WHERE email = %s", (email,))
    /// ```
    pub struct AppCodeSqlInjection {
        id: "app-code-sql-injection",
        category: Security,
        severity: Error,
        dialects: [Postgres, Tsql],
        scope: AppCode,
    }
}

impl Rule for AppCodeSqlInjection {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
}
