use crate::prelude::*;
use steward_core::statement::Parsed;

declare_rule! {
    /// Reports statements that cannot be parsed.
    ///
    /// ## What it does
    /// Reports a statement the parser cannot read and that is not valid SQL steward knows
    /// about (valid statements the parser lacks are counted as "not analysed" instead, never
    /// reported here): a typo in a keyword, an unterminated string, unbalanced parentheses.
    ///
    /// ## Why it matters
    /// The database will reject the statement, so the migration or script fails halfway —
    /// possibly after earlier statements ran outside a transaction. And nothing in the
    /// statement could be checked by other rules.
    ///
    /// ## Example
    /// ```sql
    /// CREAT TABLE orders (id bigint);
    /// ```
    ///
    /// ## Fix
    /// Correct the syntax at the reported position.
    pub struct ParseError {
        id: "parse-error",
        category: Correctness,
        severity: Error,
        dialects: [Postgres, Tsql],
        scope: Statement,
    }
}

impl Rule for ParseError {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_statement(&self, ctx: &StatementCtx, out: &mut Vec<Diagnostic>) {
        if let Parsed::Error { message, location } = &ctx.statement.parsed {
            out.push(
                ParseError::META
                    .diag(format!("cannot parse statement: {message}"))
                    .at(Some(location.clone()))
                    .help("the server will reject this statement; nothing in it was checked"),
            );
        }
    }
}
