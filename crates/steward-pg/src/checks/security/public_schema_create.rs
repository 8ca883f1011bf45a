use crate::checks::prelude::*;

declare_rule! {
    /// Finds schemas in which every role may create objects (PUBLIC has CREATE).
    ///
    /// ## What it does
    /// Reports schemas where `has_schema_privilege('public', schema, 'CREATE')` is true — by
    /// default the `public` schema on PostgreSQL 14 and older.
    ///
    /// ## Why it matters
    /// Any role that can log in can create a function or operator there that shadows one other
    /// roles call without schema-qualifying it; when a privileged role (or a SECURITY DEFINER
    /// function) runs with that schema in its `search_path`, the attacker's code runs with its
    /// privileges (CVE-2018-1058).
    ///
    /// ## Example
    /// `public-schema-create: every role can create objects in schema public`
    ///
    /// ## Fix
    /// `REVOKE CREATE ON SCHEMA public FROM PUBLIC;` and grant CREATE to the migration role only.
    pub struct PublicSchemaCreate {
        id: "public-schema-create",
        category: Security,
        severity: Warning,
        dialects: [Postgres],
        scope: Live,
    }
}

impl LiveCheck for PublicSchemaCreate {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn source(&self, _: &ServerFacts) -> Source {
        Source::Sql(include_str!("public_schema_create.sql"))
    }

    fn evaluate(
        &self,
        rows: &[Row],
        ctx: &CheckCtx,
        out: &mut Vec<Diagnostic>,
    ) -> Result<(), RowError> {
        for row in rows {
            let schema = ident(&get::<String>(row, "name")?);
            out.push(
                ctx.meta
                    .diag(format!("every role can create objects in schema {schema}"))
                    .object(schema.clone())
                    .help("A role that can log in can plant a function or operator that shadows one others call unqualified; whoever runs it with this schema on the search_path runs the attacker's code with their own privileges (CVE-2018-1058). Let only the migration role create objects.")
                    .fix(format!("REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC;")),
            );
        }
        Ok(())
    }
}
