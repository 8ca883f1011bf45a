use crate::prelude::*;

declare_rule! {
    /// Finds policies on tables where row-level security is not enabled.
    ///
    /// ## What it does
    /// Reports `CREATE POLICY` on a PostgreSQL table whose row-level security is not enabled
    /// (no `ALTER TABLE … ENABLE ROW LEVEL SECURITY`).
    ///
    /// ## Why it matters
    /// Policies do nothing until RLS is enabled on the table: every role with table privileges
    /// sees and changes every row. The schema looks protected in review while the data is
    /// open — a tenant-isolation breach waiting for its first query.
    ///
    /// ## Example
    /// ```sql
    /// CREATE POLICY tenant_isolation ON document USING (tenant_id = current_setting('app.tenant_id')::bigint);
    /// ```
    ///
    /// ## Fix
    /// ```sql
    /// ALTER TABLE document ENABLE ROW LEVEL SECURITY;
    /// ALTER TABLE document FORCE ROW LEVEL SECURITY;
    /// ```
    pub struct PolicyWithoutRls {
        id: "policy-without-rls",
        category: Security,
        severity: Error,
        dialects: [Postgres],
        scope: Schema,
    }
}

impl Rule for PolicyWithoutRls {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_schema(&self, ctx: &ModelCtx, out: &mut Vec<Diagnostic>) {
        for policy in &ctx.model.policies {
            // Only tables the input defines: a policy on a table created elsewhere may be fine.
            let Some(table) = ctx.model.table(&policy.table) else {
                continue;
            };
            if table.rls_enabled {
                continue;
            }
            out.push(
                Self::META
                    .diag(format!(
                        "policy {} on {} has no effect: row-level security is not enabled on the table",
                        policy.name, table.name
                    ))
                    .at(policy.origin.location().cloned())
                    .object(table.name.to_string())
                    .help("until RLS is enabled every role with privileges on the table sees and changes every row; enable (and force) row-level security")
                    .fix(format!(
                        "ALTER TABLE {0} ENABLE ROW LEVEL SECURITY;\nALTER TABLE {0} FORCE ROW LEVEL SECURITY;",
                        table.name
                    )),
            );
        }
    }
}
