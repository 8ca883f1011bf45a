use crate::checks::prelude::*;
use steward_core::model::GrantObject;
use steward_rules::rules::privacy::pii::{classify_column, Protection};

declare_rule! {
    /// Finds tables with personal data that every role may read.
    ///
    /// ## What it does
    /// Reports tables on which PUBLIC has SELECT (or ALL) that hold columns the privacy
    /// classifier recognises as personal data by name and type (email, phone, birth date,
    /// government ids, card numbers, credentials…), listing those columns — never values.
    ///
    /// ## Why it matters
    /// PUBLIC is every role that can log in, now and in the future: reporting users, a
    /// monitoring agent, a forgotten test login. Personal data readable by all of them fails
    /// data-minimisation and access-control duties (GDPR Art. 5 and 32) and turns any leaked
    /// credential into a data breach.
    ///
    /// ## Example
    /// `pii-readable-by-public: public.users is readable by every role and holds personal data: email (email address), phone (phone number)`
    ///
    /// ## Fix
    /// `REVOKE SELECT ON public.users FROM PUBLIC;` and grant it to the roles that need it —
    /// or only the non-personal columns: `GRANT SELECT (id, created_at) ON public.users TO reporting;`.
    pub struct PiiReadableByPublic {
        id: "pii-readable-by-public",
        category: Privacy,
        severity: Warning,
        dialects: [Postgres],
        scope: Live,
    }
}

impl LiveCheck for PiiReadableByPublic {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn source(&self, _: &ServerFacts) -> Source {
        Source::Model
    }

    fn evaluate(
        &self,
        _: &[Row],
        ctx: &CheckCtx,
        out: &mut Vec<Diagnostic>,
    ) -> Result<(), RowError> {
        for grant in &ctx.model.grants {
            let GrantObject::Table(name) = &grant.object else {
                continue;
            };
            let readable = grant
                .grantees
                .iter()
                .any(|g| g.eq_ignore_ascii_case("public"))
                && grant
                    .privileges
                    .iter()
                    .any(|p| p.eq_ignore_ascii_case("SELECT") || p.eq_ignore_ascii_case("ALL"));
            let Some(table) = ctx.model.tables.get(name).filter(|_| readable) else {
                continue;
            };
            let personal: Vec<String> = table
                .columns
                .iter()
                .filter_map(|c| {
                    let pii = classify_column(&table.name.name, &c.name, c.data_type.as_ref())?;
                    (pii.protection == Protection::None)
                        .then(|| format!("{} ({})", ident(&c.name), pii.kind.label()))
                })
                .collect();
            if personal.is_empty() {
                continue;
            }
            out.push(
                ctx.meta
                    .diag(format!(
                        "{} is readable by every role and holds personal data: {}",
                        table.name,
                        personal.join(", ")
                    ))
                    .object(table.name.to_string())
                    .help("PUBLIC is every role that can log in, now and later; personal data readable by all of them fails data-minimisation and access-control duties and makes any leaked login a breach. Grant SELECT to the roles that need it, or only on the non-personal columns.")
                    .fix(format!("REVOKE SELECT ON {} FROM PUBLIC;", table.name)),
            );
        }
        Ok(())
    }
}
