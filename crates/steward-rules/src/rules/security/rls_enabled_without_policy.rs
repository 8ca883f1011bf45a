use crate::prelude::*;

declare_rule! {
    /// Finds tables with row-level security enabled but no policy.
    ///
    /// ## What it does
    /// Reports PostgreSQL tables with row-level security enabled and no `CREATE POLICY` on them.
    ///
    /// ## Why it matters
    /// With RLS on and no policy, PostgreSQL denies every row to every role that is subject to
    /// RLS: queries return nothing and writes fail. Either a policy was forgotten (an outage as
    /// soon as a non-owner role is used) or the table only "works" because the application
    /// connects as its owner — in which case the RLS protects nothing.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE invoice ENABLE ROW LEVEL SECURITY;
    /// ```
    ///
    /// ## Fix
    /// Write the policy that says who sees which rows:
    /// ```sql
    /// CREATE POLICY invoice_tenant ON invoice
    ///     USING (tenant_id = current_setting('app.tenant_id')::bigint);
    /// ```
    pub struct RlsEnabledWithoutPolicy {
        id: "rls-enabled-without-policy",
        category: Security,
        severity: Warning,
        dialects: [Postgres],
        scope: Schema,
    }
}

impl Rule for RlsEnabledWithoutPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_schema(&self, ctx: &ModelCtx, out: &mut Vec<Diagnostic>) {
        let with_policy: std::collections::HashSet<QualName> = ctx
            .model
            .policies
            .iter()
            .map(|p| ctx.model.key(&p.table))
            .collect();
        for table in ctx.model.tables.values() {
            if !table.rls_enabled || with_policy.contains(&ctx.model.key(&table.name)) {
                continue;
            }
            out.push(
                Self::META
                    .diag(format!(
                        "row-level security is enabled on {} but it has no policy: every non-owner role sees no rows",
                        table.name
                    ))
                    .at(table.origin.location().cloned())
                    .object(table.name.to_string())
                    .help("roles subject to RLS get no rows and cannot write; add a policy (CREATE POLICY … USING (…)) that states who sees which rows, or disable RLS if it was not meant"),
            );
        }
    }
}
