use super::pii::words;
use crate::prelude::*;
use steward_core::model::{Column, Table, TableKind, TypeFamily};

declare_rule! {
    /// Finds consent, marketing, tracking and auto-renew flags that default to true.
    ///
    /// ## What it does
    /// Reports boolean columns (PostgreSQL `boolean`, T-SQL `bit`) whose name is about
    /// consent or opting in (`marketing_consent`, `newsletter`, `accepts_marketing_emails`,
    /// `tracking_enabled`, `analytics_opt_in`, `share_data_with_partners`, `auto_renew`) and
    /// whose default is true (`true`, `1`, `'t'`, `((1))`). Opt-out flags that default to true
    /// (`unsubscribed`, `do_not_track`, `marketing_opt_out`) are privacy-friendly and not
    /// reported.
    ///
    /// ## Why it matters
    /// Under the GDPR (Art. 4(11), Art. 7) and the ePrivacy rules consent must be a clear
    /// affirmative act: a pre-ticked box is not consent (CJEU, *Planet49*, 2019). A default of
    /// true records consent nobody gave, for every row inserted without the column — so every
    /// marketing email or tracking event based on it is unlawful, regulators fine for it, and
    /// the flags cannot be trusted afterwards. Auto-renewal by default breaks consumer law in
    /// many jurisdictions (EU, California).
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE customer (id bigint PRIMARY KEY, email text, marketing_consent boolean NOT NULL DEFAULT true);
    /// ```
    ///
    /// ## Fix
    /// ```sql
    /// ALTER TABLE customer ALTER COLUMN marketing_consent SET DEFAULT false;
    /// ```
    /// Rows that got `true` from the default carry no consent: review them (for instance,
    /// against a `consented_at` timestamp) before relying on the flag.
    pub struct OptInDefaultTrue {
        id: "opt-in-default-true",
        category: Privacy,
        severity: Warning,
        dialects: [Postgres, Tsql],
        scope: Schema,
    }
}

impl Rule for OptInDefaultTrue {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_schema(&self, ctx: &ModelCtx, out: &mut Vec<Diagnostic>) {
        let dialect = ctx.model.dialect;
        for table in ctx.model.tables.values() {
            if table.kind == TableKind::Foreign || table.partition_of.is_some() {
                continue;
            }
            for column in &table.columns {
                let boolean = column
                    .data_type
                    .as_ref()
                    .is_some_and(|t| t.family == TypeFamily::Boolean && !t.is_array());
                if !boolean || !column.default.as_deref().is_some_and(is_true) {
                    continue;
                }
                let Some(what) = consent_subject(&column.name) else {
                    continue;
                };
                out.push(finding(table, column, what, dialect));
            }
        }
    }
}

/// Whether a default expression is a constant true (`true`, `1`, `((1))`, `'t'::boolean`).
fn is_true(default: &str) -> bool {
    let mut text = default.trim().to_ascii_lowercase();
    loop {
        let before = text.clone();
        if let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
            text = inner.trim().to_string();
        }
        if let Some((head, _)) = text.split_once("::") {
            text = head.trim().to_string();
        }
        if let Some(inner) = text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
            text = inner.to_string();
        }
        if text == before {
            break;
        }
    }
    matches!(text.as_str(), "true" | "t" | "1" | "yes" | "y" | "on")
}

/// What a column asks consent for, when its name is about consent and not an opt-out.
fn consent_subject(column: &str) -> Option<&'static str> {
    let words = words(column);
    let has = |w: &str| words.iter().any(|x| x == w);
    const NEGATIONS: &[&str] = &[
        "out",
        "optout",
        "unsubscribed",
        "unsubscribe",
        "no",
        "not",
        "dont",
        "disable",
        "disabled",
        "dnt",
        "block",
        "blocked",
        "deny",
        "denied",
        "reject",
        "rejected",
        "revoked",
        "withdrawn",
        "without",
        "suppress",
        "suppressed",
        "exclude",
        "excluded",
        "never",
        "required",
        "require",
        "requires",
        "needs",
        "needed",
        "ask",
        "asked",
        "prompt",
        "prompted",
        "shown",
        "show",
        "seen",
        "pending",
        "mandatory",
    ];
    if words.iter().any(|w| NEGATIONS.contains(&w.as_str())) {
        return None;
    }
    if has("consent") || has("consents") || has("consented") || has("gdpr") {
        return Some("consent");
    }
    if has("optin") || (has("opt") && has("in")) {
        return Some("an opt-in");
    }
    if has("marketing") || has("promotional") || has("promotions") || has("promo") {
        return Some("marketing");
    }
    if has("newsletter") || has("newsletters") || (has("mailing") && has("list")) {
        return Some("newsletters");
    }
    if has("tracking") || has("telemetry") || has("analytics") || (has("track") && words.len() > 1)
    {
        return Some("tracking");
    }
    if has("advertising") || has("ads") || has("personalized") || has("personalised") {
        return Some("personalised advertising");
    }
    if (has("share") || has("sharing")) && (has("data") || has("partners") || has("third")) {
        return Some("sharing personal data");
    }
    if has("third") && has("party") {
        return Some("sharing with third parties");
    }
    if has("autorenew") || has("autorenewal") || (has("auto") && (has("renew") || has("renewal"))) {
        return Some("automatic renewal");
    }
    None
}

fn finding(table: &Table, column: &Column, what: &str, dialect: Dialect) -> Diagnostic {
    let object = table.name.column_display(&column.name, dialect);
    let fix = match dialect {
        Dialect::Postgres => format!(
            "ALTER TABLE {} ALTER COLUMN {} SET DEFAULT false;",
            table.name,
            quote_ident(&column.name)
        ),
        Dialect::Tsql => {
            let t = table.name.display(dialect);
            let literal = format!("{}.{}", table.name.schema, table.name.name).replace('\'', "''");
            let c = steward_core::model::bracket_ident(&column.name);
            let c_literal = column.name.replace('\'', "''");
            let df = steward_core::model::bracket_ident(&format!(
                "DF_{}_{}",
                table.name.name, column.name
            ));
            format!(
                "DECLARE @df sysname = (SELECT name FROM sys.default_constraints WHERE parent_object_id = OBJECT_ID(N'{literal}') AND parent_column_id = COLUMNPROPERTY(OBJECT_ID(N'{literal}'), N'{c_literal}', 'ColumnId'));\nIF @df IS NOT NULL EXEC (N'ALTER TABLE {t} DROP CONSTRAINT ' + QUOTENAME(@df));\nALTER TABLE {t} ADD CONSTRAINT {df} DEFAULT 0 FOR {c};"
            )
        }
    };
    OptInDefaultTrue::META
        .diag(format!(
            "{object} ({what}) defaults to true: rows inserted without it opt in on the person's behalf"
        ))
        .at(column.origin.location().cloned())
        .object(object)
        .help(
            "consent must be an affirmative act (GDPR Art. 7, CJEU Planet49): a default of true is a pre-ticked box; default to false and set true only when the person opts in (rows that got true from the default carry no consent)",
        )
        .fix(fix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_true_defaults() {
        for d in ["true", "TRUE", "((1))", "(1)", "'t'::boolean", "'1'", "1"] {
            assert!(is_true(d), "{d}");
        }
        for d in ["false", "((0))", "0", "now()", "'f'"] {
            assert!(!is_true(d), "{d}");
        }
    }

    #[test]
    fn knows_consent_from_opt_out() {
        assert!(consent_subject("marketing_consent").is_some());
        assert!(consent_subject("NewsletterOptIn").is_some());
        assert!(consent_subject("auto_renew").is_some());
        assert!(consent_subject("share_data_with_partners").is_some());
        assert!(consent_subject("marketing_opt_out").is_none());
        assert!(consent_subject("do_not_track").is_none());
        assert!(consent_subject("unsubscribed").is_none());
        assert!(consent_subject("consent_required").is_none());
        assert!(consent_subject("active").is_none());
        assert!(consent_subject("track").is_none());
    }
}
