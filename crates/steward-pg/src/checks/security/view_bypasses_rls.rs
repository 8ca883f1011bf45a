use crate::checks::prelude::*;

declare_rule! {
    /// Finds views through which row-level security does not apply.
    ///
    /// ## What it does
    /// Reports views over tables with row-level security that run with their owner's rights
    /// (no `security_invoker`, available from PostgreSQL 15) when that owner is not subject
    /// to the table's policies: a superuser, a `BYPASSRLS` role, or the table's owner while RLS
    /// is not forced.
    ///
    /// ## Why it matters
    /// A view normally accesses its tables as the view's owner. When the owner bypasses the
    /// policies, everyone allowed to read the view sees every row: tenant isolation built with
    /// RLS silently does not apply to anything queried through the view.
    ///
    /// ## Example
    /// `view-bypasses-rls: view public.order_summary reads public.orders as its owner app (the table owner), bypassing its row-level security`
    ///
    /// ## Fix
    /// PostgreSQL 15+: `ALTER VIEW the_view SET (security_invoker = true);` so the policies of
    /// the querying role apply. Older versions: have a role subject to the policies own the
    /// view, or `ALTER TABLE … FORCE ROW LEVEL SECURITY`.
    pub struct ViewBypassesRls {
        id: "view-bypasses-rls",
        category: Security,
        severity: Error,
        dialects: [Postgres],
        scope: Live,
    }
}

impl LiveCheck for ViewBypassesRls {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn source(&self, _: &ServerFacts) -> Source {
        Source::Sql(include_str!("view_bypasses_rls.sql"))
    }

    fn evaluate(
        &self,
        rows: &[Row],
        ctx: &CheckCtx,
        out: &mut Vec<Diagnostic>,
    ) -> Result<(), RowError> {
        for row in rows {
            let view = qualified(
                &get::<String>(row, "view_schema")?,
                &get::<String>(row, "view_name")?,
            );
            let table = qualified(
                &get::<String>(row, "table_schema")?,
                &get::<String>(row, "table_name")?,
            );
            let owner = ident(&get::<String>(row, "view_owner")?);
            let reason: String = get(row, "reason")?;
            let why = match reason.as_str() {
                "superuser" => "a superuser".to_string(),
                "bypassrls" => "a BYPASSRLS role".to_string(),
                _ => "the table's owner, and RLS is not forced".to_string(),
            };
            let fix = if ctx.server.major() >= 15 {
                format!("ALTER VIEW {view} SET (security_invoker = true);")
            } else {
                format!("-- PostgreSQL < 15 has no security_invoker views; subject the owner to the policies:\nALTER TABLE {table} FORCE ROW LEVEL SECURITY;")
            };
            out.push(
                ctx.meta
                    .diag(format!(
                        "view {view} reads {table} as its owner {owner} ({why}), bypassing the table's row-level security"
                    ))
                    .object(view.clone())
                    .help("Views access their tables with their owner's rights. Everyone who can read this view sees every row of the table, whatever its policies say. Make the view run with the caller's rights.")
                    .fix(fix),
            );
        }
        Ok(())
    }
}
