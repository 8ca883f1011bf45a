use crate::checks::prelude::*;

declare_rule! {
    /// Finds SECURITY DEFINER functions that every role may execute.
    ///
    /// ## What it does
    /// Reports `SECURITY DEFINER` functions of user schemas on which PUBLIC has EXECUTE —
    /// which is PostgreSQL's default for every new function unless it is revoked.
    ///
    /// ## Why it matters
    /// A SECURITY DEFINER function runs with its owner's privileges. Executable by PUBLIC, it
    /// lets every role that can log in — including ones created later for other purposes —
    /// do whatever the function does as the owner, and any flaw in it (a dynamic SQL
    /// injection, a missing `SET search_path`) becomes a privilege escalation for all of them.
    ///
    /// ## Example
    /// `function-executable-by-public: SECURITY DEFINER function public.reset_password(integer) is executable by every role`
    ///
    /// ## Fix
    /// `REVOKE EXECUTE ON FUNCTION f(args) FROM PUBLIC;` then `GRANT EXECUTE` to the roles that
    /// need it; `ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;` for new ones.
    pub struct FunctionExecutableByPublic {
        id: "function-executable-by-public",
        category: Security,
        severity: Warning,
        dialects: [Postgres],
        scope: Live,
    }
}

impl LiveCheck for FunctionExecutableByPublic {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn source(&self, _: &ServerFacts) -> Source {
        Source::Sql(include_str!("function_executable_by_public.sql"))
    }

    fn evaluate(
        &self,
        rows: &[Row],
        ctx: &CheckCtx,
        out: &mut Vec<Diagnostic>,
    ) -> Result<(), RowError> {
        for row in rows {
            let function = format!(
                "{}({})",
                qualified(&get::<String>(row, "schema")?, &get::<String>(row, "name")?),
                get::<String>(row, "arguments")?
            );
            let owner = ident(&get::<String>(row, "owner")?);
            out.push(
                ctx.meta
                    .diag(format!("SECURITY DEFINER function {function} is executable by every role"))
                    .object(function.clone())
                    .help(format!(
                        "It runs as its owner ({owner}); every role that can log in may call it, so any flaw in it is a privilege escalation for all of them. Grant EXECUTE only to the roles that need it."
                    ))
                    .fix(format!(
                        "REVOKE EXECUTE ON FUNCTION {function} FROM PUBLIC;\n-- GRANT EXECUTE ON FUNCTION {function} TO the_role_that_needs_it;"
                    )),
            );
        }
        Ok(())
    }
}
