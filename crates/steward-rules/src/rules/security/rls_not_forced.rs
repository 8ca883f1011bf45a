use crate::prelude::*;

declare_rule! {
    /// Finds row-level security that the table's owner silently bypasses.
    ///
    /// ## What it does
    /// Reports PostgreSQL tables with `ENABLE ROW LEVEL SECURITY` but without
    /// `FORCE ROW LEVEL SECURITY`.
    ///
    /// ## Why it matters
    /// Without FORCE, policies do not apply to the table's owner. Applications very often
    /// connect as the role that owns the tables (it ran the migrations), so every query sees and
    /// changes every tenant's rows — the isolation exists only for other roles, and tests run
    /// as a different role pass.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE document ENABLE ROW LEVEL SECURITY;
    /// CREATE POLICY tenant_isolation ON document USING (tenant_id = current_setting('app.tenant_id')::bigint);
    /// ```
    ///
    /// ## Fix
    /// ```sql
    /// ALTER TABLE document FORCE ROW LEVEL SECURITY;
    /// ```
    pub struct RlsNotForced {
        id: "rls-not-forced",
        category: Security,
        severity: Warning,
        dialects: [Postgres],
        scope: Schema,
    }
}

impl Rule for RlsNotForced {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_schema(&self, ctx: &ModelCtx, out: &mut Vec<Diagnostic>) {
        for table in ctx.model.tables.values() {
            if !table.rls_enabled || table.rls_forced {
                continue;
            }
            let owner = table
                .owner
                .as_deref()
                .map(|o| format!(" ({o})"))
                .unwrap_or_default();
            out.push(
                Self::META
                    .diag(format!(
                        "row-level security on {} is enabled but not forced: its owner{owner} bypasses every policy",
                        table.name
                    ))
                    .at(table.origin.location().cloned())
                    .object(table.name.to_string())
                    .help("applications often connect as the role that owns the tables, and then see every row; FORCE makes the policies apply to the owner too (superusers and BYPASSRLS roles still bypass them)")
                    .fix(format!("ALTER TABLE {} FORCE ROW LEVEL SECURITY;", table.name)),
            );
        }
    }
}
