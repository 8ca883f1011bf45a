use crate::prelude::*;

declare_rule! {
    /// Finds T-SQL stored procedures named with the `sp_` prefix.
    ///
    /// ## What it does
    /// Reports user procedures whose name starts with `sp_` (any case), the prefix SQL
    /// Server reserves for system procedures.
    ///
    /// ## Why it matters
    /// For a name starting with `sp_`, SQL Server looks in the `master` database first and
    /// only then in the current one: every call pays an extra lookup and a cache miss
    /// (`SP:CacheMiss`), and if Microsoft ever ships a system procedure of the same name —
    /// or someone creates one in `master` — it silently runs instead of yours.
    ///
    /// ## Example
    /// ```sql
    /// CREATE PROCEDURE dbo.sp_GetCustomer @CustomerId int AS
    /// SELECT CustomerId, Email FROM dbo.Customer WHERE CustomerId = @CustomerId;
    /// ```
    ///
    /// ## Fix
    /// ```sql
    /// EXEC sp_rename N'dbo.sp_GetCustomer', N'usp_GetCustomer', N'OBJECT';
    /// ```
    /// Then update the callers. `sp_rename` leaves the old name in `sys.sql_modules`;
    /// dropping and re-creating the procedure under the new name avoids that.
    pub struct SpPrefixProcedure {
        id: "sp-prefix-procedure",
        category: Style,
        severity: Warning,
        dialects: [Tsql],
        scope: Schema,
    }
}

impl Rule for SpPrefixProcedure {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_schema(&self, ctx: &ModelCtx, out: &mut Vec<Diagnostic>) {
        let dialect = ctx.model.dialect;
        for f in &ctx.model.functions {
            let name = &f.name.name;
            if !f.is_procedure
                || !name.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("sp_"))
                || f.name.schema.eq_ignore_ascii_case("sys")
            {
                continue;
            }
            let renamed = format!("usp_{}", &name[3..]);
            let old = format!("{}.{}", f.name.schema, name).replace('\'', "''");
            out.push(
                SpPrefixProcedure::META
                    .diag(format!(
                        "procedure {} uses the system prefix sp_",
                        f.name.display(dialect)
                    ))
                    .at(f.origin.location().cloned())
                    .object(f.name.display(dialect))
                    .help(
                        "SQL Server resolves sp_ names in master first: every call pays an extra lookup, and a system procedure of the same name would run instead of this one; rename it (e.g. usp_ prefix) and update the callers",
                    )
                    .fix(format!(
                        "EXEC sp_rename N'{old}', N'{}', N'OBJECT';",
                        renamed.replace('\'', "''")
                    )),
            );
        }
    }
}
